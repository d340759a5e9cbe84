"""What staff can do to a payment: each action once, for the payment page and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import intents, refunds
from .forms import ConfirmForm, RefundForm, ReturnForm
from .models import DeadlineChoiceStatus, Provider
from .models import PaymentStatus as S
from .payments import workflow
from .serializers import ChooseSerializer, ConfirmSerializer, RefundSerializer, ReturnSerializer

ACTIONS = ActionTable(
    [
        Action(
            "confirm",
            perm="funding.confirm_payment",
            target=S.CONFIRMED,
            form=ConfirmForm,
            serializer=ConfirmSerializer,
            run=lambda by, payment, d: intents.confirm_offline(
                by=by, payment=payment, reference=d["reference"], received_on=d["received_on"]
            ),
            done=_("The gift is confirmed and counted."),
            description="Staff of the project's region record that an offline pledge's money has arrived.",
        ),
        Action(
            "refund",
            perm="funding.refund_payment",
            when=lambda payment: payment.counted and payment.accepted_amount > 0,
            form=RefundForm,
            serializer=RefundSerializer,
            run=lambda by, payment, d: refunds.refund_gift(by=by, payment=payment, amount=d["amount"], note=d["note"]),
            done=_("The refund is recorded and taken off the project's total."),
            description="Staff give (part of) a counted gift back: through Stripe for card gifts, "
            "by hand (recorded here) for offline ones.",
        ),
        Action(
            "return",
            perm="funding.record_return",
            when=lambda payment: payment.to_return > 0,
            form=ReturnForm,
            serializer=ReturnSerializer,
            run=lambda by, payment, d: refunds.record_return(by=by, payment=payment, reference=d["reference"]),
            done=_("Recorded: the money is back with the donor."),
            description="Staff record that the office handed an offline refund back to the donor "
            "(the refund itself is in the ledger already).",
        ),
    ],
    workflow=workflow,
)


def offered(payment, user):
    names = ACTIONS.available(payment, user)
    if payment.provider != Provider.OFFLINE:
        names.discard("confirm")
    return names


def _choose(by, choice, data):
    from . import deadlines

    return deadlines.choose_for_gift(by=by, choice=choice, option=data["option"], target=data.get("project"))


def _apply_default(by, choice):
    from . import deadlines

    return deadlines.apply_default_for(by=by, choice=choice)


CHOICE_ACTIONS = ActionTable(
    [
        Action(
            "choose",
            perm="funding.choose_deadline_option",
            when=lambda choice: choice.status == DeadlineChoiceStatus.PENDING,
            serializer=ChooseSerializer,
            run=_choose,
            done=_("Your choice is recorded."),
            description="The donor's choice for a gift whose project missed its funding deadline (or was "
            "withdrawn): `refund`, or `move` with the `project` (published, still raising money) to move it to. "
            "Only the gift's donor may choose; a choice already made is not made again.",
        ),
        Action(
            "apply_default",
            perm="funding.apply_deadline_default",
            when=lambda choice: choice.status == DeadlineChoiceStatus.PENDING,
            run=lambda by, choice, d: _apply_default(by, choice),
            done=_("The default is applied: the gift is returned to its donor."),
            description="Staff of the project's area apply the default (a refund) on the donor's behalf before "
            "the donor has chosen; the choice shows it was applied by staff, and the audit log names who.",
        ),
    ]
)

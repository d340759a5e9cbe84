"""What staff can do to a payment: each action once, for the payment page and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import services
from .forms import ConfirmForm, RefundForm
from .models import PaymentStatus as S
from .models import Provider
from .serializers import ConfirmSerializer, RefundSerializer

ACTIONS = ActionTable(
    [
        Action(
            "confirm",
            perm="funding.confirm_payment",
            target=S.CONFIRMED,
            form=ConfirmForm,
            serializer=ConfirmSerializer,
            run=lambda by, payment, d: services.confirm_offline(
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
            run=lambda by, payment, d: services.refund_gift(by=by, payment=payment, amount=d["amount"], note=d["note"]),
            done=_("The refund is recorded and taken off the project's total."),
            description="Staff give (part of) a counted gift back: through Stripe for card gifts, "
            "by hand (recorded here) for offline ones.",
        ),
    ],
    workflow=services.workflow,
)


def offered(payment, user):
    names = ACTIONS.available(payment, user)
    if payment.provider != Provider.OFFLINE:
        names.discard("confirm")
    return names

"""What staff can do to a payment: each action once, for the payment page and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import services
from .forms import ConfirmForm
from .models import PaymentStatus as S
from .models import Provider
from .serializers import ConfirmSerializer

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
    ],
    workflow=services.workflow,
)


def offered(payment, user):
    names = ACTIONS.available(payment, user)
    if payment.provider != Provider.OFFLINE:
        names.discard("confirm")
    return names

"""What organisations' administrators and invitees are told: stored as a key and parameters, written when read."""

from django.utils.translation import gettext as _

from portal.notifications.messages import Message

from .models import VerificationStatus
from .services import INVITATION_BODY, INVITATION_SUBJECT, VERIFICATION_SUBJECT

INVITATION = Message("organisations.invitation", title=INVITATION_SUBJECT, body=INVITATION_BODY)


def _note(v):
    return (_("Note from staff:") + " " + v["note"]) if v.get("note") else ""


VERIFICATION = Message(
    "organisations.verification",
    title=VERIFICATION_SUBJECT,
    body=_note,
    labels={"status": VerificationStatus},
)

"""What implementers, staff and raters are told: stored as a key and parameters, written when read."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.messages import Message

NOTE = "%(note)s"  # what staff wrote, as they wrote it

MILESTONE_REPORTED = Message(
    "implementation.milestone_reported",
    title=_("“%(project)s”: the milestone “%(milestone)s” is reported and awaits your approval."),
    body=NOTE,
)
MILESTONE_APPROVED = Message(
    "implementation.milestone_approved",
    title=_("“%(project)s”: the milestone “%(milestone)s” is approved."),
    body=NOTE,
)
MILESTONE_REJECTED = Message(
    "implementation.milestone_rejected",
    title=_("“%(project)s”: the milestone “%(milestone)s” was sent back."),
    body=NOTE,
)
TRANCHE_PAID = Message(
    "implementation.tranche_paid",
    title=_("“%(project)s”: the tranche of %(amount)s for “%(milestone)s” is paid."),
)
MILESTONE_OVERDUE = Message(
    "implementation.milestone_overdue",
    title=_("“%(project)s”: the milestone “%(milestone)s” was due on %(due)s and is not reported."),
)
EVALUATION_OPEN = Message(
    "implementation.evaluation_open",
    title=_("“%(project)s” is completed: residents rate it until %(closes)s."),
)

"""What residents and staff are told about needs: stored as a key and parameters, written when read."""

from django.utils.translation import gettext_lazy as _

from marketplace.projects.models import ProjectStatus
from portal.notifications.messages import Message

from .models import NeedStatus

S, P = NeedStatus, ProjectStatus
NOTE = "%(note)s"  # what staff wrote, as they wrote it

STEP = {
    S.ACCEPTED: Message("needs.accepted", title=_("Your need “%(title)s” has been accepted."), body=NOTE),
    S.REJECTED: Message("needs.rejected", title=_("Your need “%(title)s” was not accepted."), body=NOTE),
    S.DISPATCHED: Message(
        "needs.dispatched", title=_("Your need “%(title)s” has been handed to %(department)s."), body=NOTE
    ),
    S.MERGED: Message(
        "needs.merged", title=_("Your need “%(title)s” is now part of the project “%(project)s”."), body=NOTE
    ),
    S.REFERRED: Message(
        "needs.referred", title=_("Your need “%(title)s” has been referred to the residents' council."), body=NOTE
    ),
    S.ANSWERED: Message(
        "needs.answered",
        title=_("Your need “%(title)s” has been answered. Please tell us whether it is solved."),
        body=NOTE,
    ),
    S.CLOSED: Message("needs.closed", title=_("Your need “%(title)s” is closed. Thank you."), body=NOTE),
}

ASSIGNED = Message("needs.assigned", title=_("A need has been assigned to you: “%(title)s”"))

SUPERVISION_ORDER = Message(
    "needs.supervision_order",
    title=_("Supervision order: “%(title)s” is overdue"),
    body=_("Deadline %(deadline)s passed while the need was “%(status)s”."),
    labels={"status": NeedStatus},
)

PROJECT_STEP = {
    P.PUBLISHED: Message(
        "needs.project_published",
        title=_("The project “%(project)s”, which includes your need, is published and open to funders."),
    ),
    P.FUNDED: Message(
        "needs.project_funded", title=_("The project “%(project)s”, which includes your need, is funded.")
    ),
    P.COMPLETED: Message(
        "needs.project_completed",
        title=_("The project “%(project)s”, which includes your need, is done. Your need is closed."),
    ),
}

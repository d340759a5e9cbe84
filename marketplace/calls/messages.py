"""What reviewers are told: stored as a key and parameters, written when read."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.messages import Message

REVIEW_ASSIGNED = Message(
    "calls.review_assigned",
    title=_("A declaration to review: “%(title)s”"),
    body=_("You are on the panel of %(call)s. Score every criterion with a comment."),
)

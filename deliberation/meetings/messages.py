"""What a meeting's audience is told: stored as a key and parameters, written when read."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.messages import Message

from .services import REGISTRATION_RESULT

ANNOUNCED = Message("meetings.announced", title=_("Meeting announced: %(title)s"), body="%(starts)s · %(place)s")
CANCELLED = Message("meetings.cancelled", title=_("Cancelled: %(title)s"), body="%(reason)s")
REGISTRATION = {s: Message(f"meetings.registration_{s}", title=text) for s, text in REGISTRATION_RESULT.items()}
MINUTES_PUBLISHED = Message("meetings.minutes_published", title=_("Minutes published: %(title)s"))
FOLLOW_UP_OVERDUE = Message(
    "meetings.follow_up_overdue",
    title=_("Overdue since %(date)s: %(what)s"),
    body=_("Decided at “%(meeting)s”; responsible: %(who)s"),
)

"""The daily report's message to its subscribers: stored as a key and parameters, written when read."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.messages import Message

DAILY_REPORT = Message("reports.daily", title=_("Daily report %(date)s"), body="%(summary)s")

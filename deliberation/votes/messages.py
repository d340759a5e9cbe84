"""What electors are told about a vote: stored as a key and parameters, written when read."""

from django.utils.translation import gettext_lazy as _

from portal.notifications.messages import Message

OPENED = Message("votes.opened", title=_("Voting is open: %(question)s"))
RESULT = Message("votes.result", title=_("The result of the vote “%(question)s” is published."))

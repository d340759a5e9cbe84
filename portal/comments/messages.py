"""What commenters and followers are told: stored as a key and parameters, written when read (a comment's
own text is its subject's, as it reads then)."""

from portal.notifications.messages import Message

from .services import HIDDEN_BODY, HIDDEN_TITLE, NEW_COMMENT, REPLIED

REPLY = Message("comments.replied", title=REPLIED)
NEW = Message("comments.new", title=NEW_COMMENT)
HIDDEN = Message("comments.hidden", title=HIDDEN_TITLE, body=HIDDEN_BODY)

"""What followers of a project are told: stored as a key and parameters, written when read."""

from portal.notifications.messages import Message

from .receivers import MESSAGES

MILESTONE = {status: Message(f"projects.followed_{status}", title=text) for status, text in MESSAGES.items()}

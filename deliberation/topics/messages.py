"""What a topic's proposer and supporters are told: stored as a key and parameters, written when read."""

from portal.notifications.messages import Message

from .services import STATUS_MESSAGES

STATUS = {s: Message(f"topics.{s}", title=text, body="%(reason)s") for s, text in STATUS_MESSAGES.items()}

"""What claimants and bidders are told: stored as a key and parameters, written when read."""

from portal.notifications.messages import Message

from .services import BID_DECIDED, CLAIM_DECIDED

REASON = "%(reason)s"  # what staff wrote, as they wrote it
CLAIM = {s: Message(f"adoptions.claim_{s}", title=text, body=REASON) for s, text in CLAIM_DECIDED.items()}
BID = {s: Message(f"adoptions.bid_{s}", title=text, body=REASON) for s, text in BID_DECIDED.items()}

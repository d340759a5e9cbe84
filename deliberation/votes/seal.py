"""The sealed box: how a secret ballot is kept while its vote is open.

A secret ballot is not written to `Ballot` while voting is open: its receipt hash and choices are
encrypted (Fernet: AES-128-CBC and HMAC-SHA256) with a key that is not in the database, derived
for each vote from `BALLOT_SEAL_KEY` (or, when that setting is empty, from `SECRET_KEY`), and
stored as a `SealedBallot`. The plaintext is padded to one length so that a ciphertext's size
says nothing about what was chosen, and the token's clear-text timestamp is set to zero.

To find a sealed ballot again (changing it by its receipt code where the vote allows it), the box
keeps a keyed lookup value — an HMAC of the receipt code with another key derived the same way —
never the receipt hash that is published after the close: whoever reads the database during the
vote cannot tell which published ballot a sealed row becomes.

At the close (`services.close_vote`) the box is opened, its ballots shuffled and written out in
one batch, and the sealed rows destroyed. Rotating the key while a secret vote is open: keep the
old one in `BALLOT_SEAL_KEY_FALLBACKS` (or `SECRET_KEY_FALLBACKS`) until it closes.
"""

import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

# Every sealed plaintext is padded to this many bytes (30 option ids and a receipt hash fit well inside).
PADDED = 1024


def _masters():
    explicit = getattr(settings, "BALLOT_SEAL_KEY", "")
    if explicit:
        keys = [explicit, *getattr(settings, "BALLOT_SEAL_KEY_FALLBACKS", [])]
    else:
        keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [key.encode() if isinstance(key, str) else bytes(key) for key in keys if key]


def _derive(master, purpose, vote_id):
    return hmac.new(master, f"gongzhi-ballot-{purpose}:{vote_id}".encode(), hashlib.sha256).digest()


def _box(vote_id):
    return MultiFernet([Fernet(base64.urlsafe_b64encode(_derive(m, "seal", vote_id))) for m in _masters()])


def seal(vote_id, receipt_hash, choices):
    """The sealed text of one ballot."""
    plain = json.dumps({"r": receipt_hash, "c": [int(c) for c in choices]}, separators=(",", ":")).encode()
    if len(plain) > PADDED:
        raise ValueError("ballot too large to seal")
    return _box(vote_id).encrypt_at_time(plain.ljust(PADDED, b" "), 0).decode()


class Unsealer:
    """Opens the sealed ballots of one vote: `(receipt_hash, choices)`."""

    def __init__(self, vote_id):
        self.box = _box(vote_id)

    def __call__(self, sealed):
        try:
            data = json.loads(self.box.decrypt(sealed.encode()))
        except InvalidToken as exc:
            raise RuntimeError(
                "A sealed ballot cannot be opened with this server's keys: restore the BALLOT_SEAL_KEY "
                "(or SECRET_KEY) that was in use when it was cast, or list it among the fallbacks."
            ) from exc
        return data["r"], data["c"]


def lookups(vote_id, receipt_code):
    """The keyed lookup values of a receipt code (the current key's first), to find its sealed ballot."""
    normalised = receipt_code.strip().upper().encode()
    return [hmac.new(_derive(m, "lookup", vote_id), normalised, hashlib.sha256).hexdigest() for m in _masters()]

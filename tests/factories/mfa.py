"""Authenticator (TOTP) codes for tests, with the clock held still so a code cannot go stale mid-test."""

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.utils import timezone


def totp_code(secret):
    """The code an authenticator app shows now for `secret`."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


@pytest.fixture
def clock_stands_still():
    # A code generated just before a 30-second boundary would be stale by the time it is checked.
    with time_machine.travel(timezone.now(), tick=False):
        yield

"""Wrong one-time voting codes are limited per client address and per vote (pages and API alike).

The address is the one the login limits use (allauth's adapter: REMOTE_ADDR, or with
TRUSTED_PROXY_COUNT proxies in front, the address the nearest of them added), and the counter lives
in the default cache, so every worker sees the same attempts. Past the limit every code from that
address is refused, a right one too, until the window has passed.
"""

from django.core.cache import cache
from django.utils.translation import gettext as _

from portal.core.errors import DomainError

from . import services

WRONG_CODES_ALLOWED = 10
WINDOW_SECONDS = 10 * 60


class TooManyWrongCodes(DomainError):
    status_code = 429

    def __init__(self):
        super().__init__(
            _("Too many wrong voting codes from this address: try again in 10 minutes, or ask the desk."),
            code="too_many_wrong_codes",
        )


def _key(request, vote):
    from allauth.account.adapter import get_adapter

    return f"votes:wrong-code:{vote.pk}:{get_adapter(request).get_client_ip(request)}"


def cast_with_code(request, *, vote, code, choices):
    """`services.cast_with_code`, refused past the limit; a wrong code counts against it."""
    key = _key(request, vote)
    if cache.get(key, 0) >= WRONG_CODES_ALLOWED:
        raise TooManyWrongCodes()
    try:
        return services.cast_with_code(vote=vote, code=code, choices=choices)
    except DomainError as exc:
        if exc.code == "code":
            cache.add(key, 0, WINDOW_SECONDS)
            try:
                cache.incr(key)
            except ValueError:  # expired in between
                cache.set(key, 1, WINDOW_SECONDS)
        raise

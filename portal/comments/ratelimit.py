"""A per-person limit on writing comments, counted in the shared cache (fixed windows).

`COMMENT_RATE_LIMIT = (count, seconds)`: at most `count` comments per person in each window.
The counter lives in the default cache, shared by every worker (Redis in production).
"""

import time

from django.conf import settings
from django.core.cache import cache


def _key(user_id, window):
    return f"comments:rate:{user_id}:{window}"


def take(user):
    """Count one comment by `user`; False when they are over the limit for this window."""
    count, seconds = settings.COMMENT_RATE_LIMIT
    window = int(time.time() // seconds)
    key = _key(user.pk, window)
    if cache.add(key, 1, seconds):
        return True
    try:
        return cache.incr(key) <= count
    except ValueError:  # expired between add and incr: this is the window's first
        cache.add(key, 1, seconds)
        return True

"""Settings for benchmarks: production settings plus a minimal baseline view.

Production rather than dev (with DEBUG=false) because that is what is deployed:
the manifest static storage, MFA enforcement, secure cookies and CSP all stay as
they are. Only what a local plain-HTTP run needs is relaxed, through the same
environment variables an operator would set. Anything already in the
environment wins.
"""

import os

BENCH_DEFAULTS = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/gongzhi_bench",
    # A fixed, public key: the bench database holds only generated accounts.
    "SECRET_KEY": "bench-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # wrk speaks plain HTTP to gunicorn; in production a TLS proxy sits in front.
    "SECURE_SSL_REDIRECT": "false",
    # Production shares the cache (rate limits, counters) between workers through Redis.
    "CACHE_URL": "rediscache://127.0.0.1:6379/7",
    # All wrk requests come from one address: the real limits would turn the run into 429s.
    # A one-second window keeps the throttle's history (a list stored in the cache per
    # client) about as short as production's 120/min does, so its cost stays realistic.
    "API_THROTTLE_ANON": "1000000/s",
    "API_THROTTLE_USER": "1000000/s",
    "LOG_LEVEL": "WARNING",
}
for _name, _value in BENCH_DEFAULTS.items():
    os.environ.setdefault(_name, _value)

from portal.settings.production import *  # noqa: E402, F403

ROOT_URLCONF = "bench.urls"

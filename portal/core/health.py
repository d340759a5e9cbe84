"""Checks behind /healthz: each returns (ok, detail).

The core checks the database and the cache; whatever else the site relies on registers its own
check with `register` (the broker from portal.celery, search from its AppConfig.ready), so the
core names nothing above it.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return True, connection.vendor


def check_cache():
    cache.set("healthz", "ok", 10)
    return cache.get("healthz") == "ok", settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


CHECKS = {
    "database": check_database,
    "cache": check_cache,
}
# What the status page calls a registered check (the core's own are named there).
LABELS = {}


def register(name, check, label=None):
    CHECKS[name] = check
    if label is not None:
        LABELS[name] = label


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"[:200]
        results[name] = {"ok": bool(ok), "detail": str(detail)}
    return results

"""Checks behind /healthz: each returns (ok, detail)."""

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


def check_broker():
    if not settings.CELERY_BROKER_URL:
        return True, "eager (no broker configured)"
    from portal.celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return True, conn.transport.driver_type


def check_search():
    from search.backends import get_backend

    backend = get_backend()
    return backend.ping(), backend.name


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        try:
            ok, detail = check()
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"[:200]
        results[name] = {"ok": bool(ok), "detail": str(detail)}
    return results

"""Test settings: only overrides of base."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env, with_reused_redis_client

DEBUG = False
DEMO_MODE = True
MFA_REQUIRED_FOR_STAFF = False  # tests that check enforcement switch it on
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NOTIFICATION_EMAIL_DELAY = 0
CACHES = with_reused_redis_client({"default": env.cache_url("CACHE_URL", default="locmemcache://gongzhi-test")})
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min", "token": "10/min"},
}
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-private"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # A file, not memory: reusable between runs (--reuse-db) and shared with the live server's thread.
    # One file per test process, so parallel runs on one machine never share (and destroy) a database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405

# Tests stay eager even when a broker is configured; tests marked `celery_worker`
# switch to a real worker consuming from the broker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True

if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Each xdist worker gets its own Redis database: tests clear the cache, and a
    # flush must not wipe the rate-limit counters another worker is testing.
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    CACHES["default"]["LOCATION"] = CACHES["default"]["LOCATION"].rsplit("/", 1)[0] + f"/{10 + int(_worker or 0)}"

# The suite runs on the database backend even where ELASTICSEARCH_URL is set: the Elasticsearch tests build
# their client themselves (tests/search/test_elastic_live.py reads the variable to reach a real server).
ELASTICSEARCH_URL = ""

"""One version of the data the public pages show, renewed by every write.

The anonymous copies of the portal's own views (`portal.core.kept_views`) are valid while this
version stays as it was. No feature has to remember to renew it: every statement that changes
data, sent through any of Django's connections (a model's `save()`, `.update()`, bulk writes,
raw SQL, a Celery worker's as much as a web worker's), renews it once the change is committed:
at once outside a transaction, at the commit inside one (once, however many writes it made).
Renewing after the commit is enough: a page is stored under the version read *before* it was
rendered, so a page rendered from the old data, before the commit, was stored under a version
the commit's renewal has already retired, and one rendered after it shows the change.

Writes to tables no public page shows (sessions, the audit log, notifications, second-factor
tokens, the ledger check, Celery beat's schedule) leave it alone: otherwise every sign-in would
retire every copy. `DATA_VERSION_IGNORED_TABLES` lists their name prefixes.
"""

import logging
import re
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver

logger = logging.getLogger(__name__)

DATA_VERSION_KEY = "data-version"
_READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SHOW", "EXPLAIN", "SET ")
_TARGET = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)', re.I)


def data_version():
    """The current version (one cache read); a cache emptied since gives a new one."""
    from .kept import shared_version

    return shared_version(DATA_VERSION_KEY)


def renew_data_version():
    try:
        cache.set(DATA_VERSION_KEY, uuid.uuid4().hex, None)
    except Exception:  # a write must not fail because the cache is away; its copies go stale with it
        logger.exception("could not renew the data version")


def changes_shown_data(sql):
    head = sql.lstrip()[:9].upper()
    if head.startswith(_READS):
        return False
    target = _TARGET.match(sql)
    if target is None:
        return True  # DDL, a CTE, anything unusual: assume it changes what pages show
    return not target.group(1).lower().startswith(tuple(settings.DATA_VERSION_IGNORED_TABLES))


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if changes_shown_data(sql):
        _renew_for(context["connection"])
    return result


def _renew_for(connection):
    """Renew once the write is committed: now in autocommit, else once at the transaction's commit."""
    if not connection.in_atomic_block:
        renew_data_version()
        return
    pending = getattr(connection, "_data_version_on_commit", None)
    if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
        return  # this transaction renews it at its commit already

    def at_commit():
        renew_data_version()

    connection._data_version_on_commit = at_commit
    transaction.on_commit(at_commit, using=connection.alias)


@receiver(connection_created)
def watch_connection(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch_writes)

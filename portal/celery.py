"""Celery application. Without a broker configured, settings make tasks run eagerly.

Every task's `delay` and `apply_async` wait for the commit of the transaction they are
called in (as pretix's TransactionAwareTask does): a task never runs on rows another
connection cannot see yet, and a rolled-back change sends nothing. Outside a
transaction they send at once. This is the app's default task class, so no call site
needs `transaction.on_commit` of its own.
"""

import os
from functools import partial

from celery import Celery, Task
from django.conf import settings
from django.db import transaction

from portal.core import health

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")


class TransactionAwareTask(Task):
    def apply_async(self, args=None, kwargs=None, **options):
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(partial(self._send_now, args, kwargs, options))
            return None
        return self._send_now(args, kwargs, options)

    def _send_now(self, args, kwargs, options):
        return super().apply_async(args, kwargs, **options)


app = Celery("portal", task_cls=TransactionAwareTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def check_broker():
    if not settings.CELERY_BROKER_URL:
        return True, "eager (no broker configured)"
    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return True, conn.transport.driver_type


health.register("broker", check_broker)

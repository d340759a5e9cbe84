import time

import pytest
from django.core import mail

from portal.core.tasks import send_email_task


@pytest.mark.celery_worker
def test_a_task_travels_through_the_broker_to_a_real_worker(celery_worker_live):
    result = send_email_task.delay("主题", "正文", ["someone@example.org"])
    assert result.id
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.subject for m in mail.outbox] == ["主题"]


@pytest.mark.celery_worker
@pytest.mark.django_db
def test_healthz_sees_the_broker(client, celery_worker_live):
    body = client.get("/healthz").json()
    assert body["checks"]["broker"]["ok"] and "eager" not in body["checks"]["broker"]["detail"]


def test_without_a_broker_tasks_run_eagerly(settings):
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured")
    send_email_task.delay("s", "b", ["x@example.org"])
    assert len(mail.outbox) == 1

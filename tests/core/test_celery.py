"""Which tasks the worker knows, and how tasks wait for the commit of their transaction."""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction

from portal.notifications.tasks import send_email_to_address_task

ROOT = Path(__file__).resolve().parents[2]
APPS = ["portal", "marketplace", "deliberation", "search"]


def _declared_tasks():
    """Every function decorated with @shared_task in the project, as Celery names it (module.function)."""
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef) and any(
                    "shared_task" in ast.unparse(d) for d in node.decorator_list
                ):
                    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                    names.add(f"{module}.{node.name}")
    return names


def test_a_worker_started_as_in_production_knows_every_task():
    """What `celery -A portal worker` registers, read in a fresh process: a task in a module that
    autodiscovery does not import (anything but an app's tasks.py) would be missing here."""
    script = (
        "import json, django; django.setup(); from portal.celery import app; "
        "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    registered = set(json.loads(out.stdout.strip().splitlines()[-1]))
    declared = _declared_tasks()
    assert declared, "no tasks found: the scan is broken"
    assert declared <= registered, sorted(declared - registered)
    assert all(name.rsplit(".", 2)[-2] == "tasks" for name in declared), "tasks live in each app's tasks.py"


def test_no_call_site_wraps_a_task_in_on_commit_itself():
    """The task base waits for the commit: `on_commit(... .delay ...)` at a call site is the old way."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            text = path.read_text()
            if re.search(r"on_commit\((?:[^()]|\([^()]*\))*\.(?:delay|apply_async)\b", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# Not a committing test (its flush would empty the database for the next test file): the suite's
# `_commit_points_as_in_production` fixture commits where production would, at the end of the block.
@pytest.mark.django_db
def test_a_task_sent_inside_a_transaction_waits_for_its_commit(settings):
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("eager only")
    with transaction.atomic():
        assert send_email_to_address_task.delay("x@example.org", "s", "b", "", "en") is None
        assert mail.outbox == []
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_task_sent_in_a_transaction_that_rolls_back_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email_to_address_task.delay("x@example.org", "s", "b", "", "en")
        raise RuntimeError
    assert mail.outbox == []


def test_without_a_broker_tasks_run_eagerly(settings):
    if settings.CELERY_BROKER_URL:
        pytest.skip("a broker is configured")
    send_email_to_address_task.delay("x@example.org", "s", "b", "", "en")
    assert len(mail.outbox) == 1

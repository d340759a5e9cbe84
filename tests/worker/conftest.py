"""A real Celery worker, started as production starts it: `celery -A portal worker`, in its own process.

These tests need a broker (CELERY_BROKER_URL, Redis in CI) and commit their data so the
worker's own database connection sees it; like the browser journeys they run in a pytest
session of their own (scripts/test, .ci/run), because a committing test flushes the
database when it ends.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "/worker/" in str(item.fspath):
            item.add_marker(pytest.mark.celery_worker)


def _database_url():
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery -A portal worker` in a process of its own, on a queue of this test's own."""

    def __init__(self, queue, env, log):
        self.queue, self.env, self.log, self.process = queue, env, log, None

    def start(self):
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [CELERY, "-A", "portal", "worker", "-l", "info", "-Q", self.queue, "--pool", "solo",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{self.queue}@%h"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def output(self):
        return Path(self.log).read_text(errors="replace")

    def kill(self):
        """SIGKILL: the worker dies mid-task, acknowledging nothing."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.output()


@pytest.fixture
def worker_env(settings, tmp_path):
    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a real broker)")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "PRIVATE_MEDIA_ROOT": settings.PRIVATE_MEDIA_ROOT,
        # A task whose worker died is handed to another after this many seconds.
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    return env


@pytest.fixture
def celery_queue(settings):
    """The test process sends to a queue only this test's workers consume."""
    from portal.celery import app

    queue = f"worker-test-{os.getpid()}-{time.monotonic_ns()}"
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    settings.CELERY_TASK_ALWAYS_EAGER = False
    yield queue
    app.conf.task_always_eager, app.conf.task_default_queue = previous


@pytest.fixture
def start_worker(worker_env, celery_queue, tmp_path):
    started = []

    def start():
        worker = Worker(celery_queue, worker_env, tmp_path / f"worker-{len(started)}.log").start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        output = worker.stop()
        if output and os.environ.get("SHOW_WORKER_LOG"):
            print(output)


def wait_for(condition, timeout=90, what="the worker"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} did not finish within {timeout} s")

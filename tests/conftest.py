import os
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from portal.accounts.models import Role
from portal.organisations.models import MemberRole, Membership, OrganisationKind
from tests.factories import OrganisationFactory, UserFactory, build_tree, grant
from tests.factories.accounts import PASSWORD
from tests.snapshots import remembered


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """This process's test database, cloned from one migrated once per set of migrations (tests/database.py)."""
    from pytest_django.fixtures import _get_databases_for_setup

    from tests import database

    _aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        backend, original = database.set_up(serialized="default" in serialized_aliases)
    yield
    with django_db_blocker.unblock():
        database.tear_down(backend, original)


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker):
    """The demo district, as `load_demo` leaves it: loaded once a day per set of migrations and demo
    loaders (tests/database.py), and copied for this module, whose tests roll back. Returns what the
    load itself did (`demo_facts`: emails sent)."""
    from tests import database

    with django_db_blocker.unblock():
        copy = database.demo_database()
        demo = copy.__enter__()
    yield SimpleNamespace(key=demo, facts=database.demo_facts(demo), media=database.demo_media_root(demo))
    with django_db_blocker.unblock():
        copy.__exit__(None, None, None)


@pytest.fixture
def demo_district_committed(transactional_db, django_db_blocker, settings):
    """A fresh copy of the demo district for one committing test (a browser journey against the live
    server), with the files the demo stored."""
    from tests import database

    with django_db_blocker.unblock(), database.demo_database() as demo:
        media = database.demo_media_root(demo)
        settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(media / "public"), str(media / "private")
        yield SimpleNamespace(key=demo, facts=database.demo_facts(demo), media=media)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached counters live in the cache: start every test clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _commit_points_as_in_production(request, monkeypatch):
    """Run on-commit callbacks where production's commit would run them.

    A test wraps everything in one transaction, so Django would hold every
    `transaction.on_commit` callback (tasks, emails) until the test ends, and drop it.
    In production the code's own outermost `atomic` block is the commit. Here, once
    only the test's wrapping block is left open, the callbacks registered inside run
    (those of a block that rolled back are dropped by Django, as in production), and a
    callback registered outside any block of the code's own runs at once.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        return  # real commits: nothing to emulate
    from django.db import transaction

    def only_the_test_block_is_open(connection):
        return connection.in_atomic_block and len(connection.atomic_blocks) == 1

    running = []

    def run_pending(connection):
        # Not re-entrant: a callback's own atomic block (a task's) ends here too, and the loop already
        # running takes what that block queued, as one production commit runs its callbacks in turn.
        if running:
            return
        running.append(True)
        try:
            while connection.run_on_commit:
                _sids, callback, _robust = connection.run_on_commit.pop(0)
                callback()
        finally:
            running.clear()

    original_exit = transaction.Atomic.__exit__

    def exit_then_commit(self, exc_type, exc_value, traceback):
        result = original_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if exc_type is None and only_the_test_block_is_open(connection):
            run_pending(connection)
        return result

    original_on_commit = transaction.on_commit

    def on_commit(func, using=None, robust=False):
        connection = transaction.get_connection(using)
        if only_the_test_block_is_open(connection):
            func()
        else:
            original_on_commit(func, using=using, robust=robust)

    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_then_commit)
    monkeypatch.setattr(transaction, "on_commit", on_commit)


@pytest.fixture(autouse=True)
def _media(request, settings, tmp_path):
    if "demo_district" in request.fixturenames:  # the files the demo stored
        media = request.getfixturevalue("demo_district").media
        settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = str(media / "public"), str(media / "private")
        return
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def tree(db):
    return remembered("tree", build_tree)


@pytest.fixture
def people(tree):
    """One user per role in street A (community A1), plus their counterparts in street B."""
    return remembered("people", lambda: _people(tree))


def _people(tree):
    p = SimpleNamespace()
    p.anonymous = None
    p.plain = UserFactory(username="plain")
    p.resident = grant(UserFactory(username="resident"), Role.RESIDENT, tree.community_a1)
    p.grid_worker = grant(UserFactory(username="gridworker"), Role.GRID_WORKER, tree.grid_a1)
    p.community_staff = grant(UserFactory(username="communitystaff"), Role.COMMUNITY_STAFF, tree.community_a1)
    p.street_staff = grant(UserFactory(username="streetstaff"), Role.STREET_STAFF, tree.street_a)
    p.street_staff_b = grant(UserFactory(username="streetstaffb"), Role.STREET_STAFF, tree.street_b)
    p.district_staff = grant(UserFactory(username="districtstaff"), Role.DISTRICT_STAFF, tree.district)
    p.reviewer = grant(UserFactory(username="reviewer"), Role.REVIEWER, tree.district)
    p.council_member = grant(UserFactory(username="councilmember"), Role.COUNCIL_MEMBER, tree.community_a1)
    p.editor = grant(UserFactory(username="editor"), Role.EDITOR, tree.district)
    p.moderator = grant(UserFactory(username="moderator"), Role.MODERATOR, tree.district)

    p.ngo = OrganisationFactory(kind=OrganisationKind.NGO, region=tree.street_a, name="甲街道社工中心")
    p.other_ngo = OrganisationFactory(kind=OrganisationKind.NGO, region=tree.street_b, name="乙街道志愿者协会")
    p.company = OrganisationFactory(kind=OrganisationKind.COMPANY, region=tree.street_a, name="甲公司")
    p.department = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, region=tree.district, name="城管局")
    p.ngo_member = _member(UserFactory(username="ngomember"), p.ngo, MemberRole.ADMIN)
    p.other_ngo_member = _member(UserFactory(username="otherngomember"), p.other_ngo, MemberRole.ADMIN)
    p.donor = _member(UserFactory(username="donor"), p.company, MemberRole.ADMIN)
    p.department_officer = _member(UserFactory(username="deptofficer"), p.department, MemberRole.MEMBER)
    return p


def _member(user, organisation, role):
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def client_for(client):
    """Log a Django test client in as `user` (or log it out for None)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def api_for():
    from rest_framework.test import APIClient

    def make(user):
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def celery_worker_live(settings):
    """A real Celery worker (in a thread) consuming from the configured broker.

    Runs only where CELERY_BROKER_URL is set (the PostgreSQL + Redis CI run).
    Each xdist worker gets its own queue so parallel runs never take each other's tasks.
    """
    import os

    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs CELERY_BROKER_URL (a real broker)")
    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        with start_worker(app, perform_ping_check=False, queues=[queue], shutdown_timeout=10):
            yield app
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous


@pytest.fixture
def home_page(tree):
    """The portal's HomePage as the default site's root (what load_demo sets up)."""
    from wagtail.models import Page, Site

    from portal.pages.models import HomePage

    page = Page.get_first_root_node().add_child(
        instance=HomePage(title="共治首页", slug="home-test", intro="一起商量着办")
    )
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": page})
    return page


# Tests whose outcome can differ between SQLite and PostgreSQL (raw SQL, constraints, locking and
# concurrency, search, the demo loader): CI runs them on both, everything else once, on PostgreSQL.
# Migrations run on both anyway: every run builds its template database from them (tests/database.py).
BOTH_DATABASES_PATHS = (
    "tests/votes/",  # secret ballots: raw SQL and the participation constraint
    "tests/funding/test_ledger.py",  # the chain head's row lock, sums
    "tests/funding/test_payments.py",  # constraints on amounts and states
    "tests/search/",
    "tests/bench/",  # the generator (PostgreSQL only; skips itself on SQLite)
    "tests/core/test_celery.py",  # eager tasks without a broker, queued ones with: each half skips the other
)
BOTH_DATABASES_SOURCE = re.compile(
    r"IntegrityError|select_for_update|connection\.vendor|connection\.cursor|\.raw\(|Thread\(|at_once|demo_district\b"
)


def _needs_both_databases(path):
    relative = os.path.relpath(path, os.path.dirname(os.path.dirname(__file__)))
    if relative.startswith(BOTH_DATABASES_PATHS) or ("/e2e/" in path and "concurrency" in relative):
        return True
    if "/e2e/" in path:
        return False  # journeys read pages; which database is behind them is the suites' business
    with open(path, encoding="utf-8") as source:
        return bool(BOTH_DATABASES_SOURCE.search(source.read()))


def pytest_collection_modifyitems(config, items):
    """Mark the tests that run on both databases, and keep committing tests where they can run.

    Committing tests (live server, real worker) flush the database when they end, leaving the next
    test file on the same xdist worker without the migrated data: they belong in tests/e2e and
    tests/worker, which run in sessions of their own (scripts/test)."""
    both = {}
    for item in items:
        path = str(item.fspath)
        if path not in both:
            both[path] = _needs_both_databases(path)
        if both[path]:
            item.add_marker(pytest.mark.both_databases)
        marker = item.get_closest_marker("django_db")
        committing = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
        if committing and "/e2e/" not in path and "/worker/" not in path:
            raise pytest.UsageError(f"{item.nodeid}: committing tests go in tests/e2e or tests/worker")

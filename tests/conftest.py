from types import SimpleNamespace

import pytest
from django.core.cache import cache

from portal.accounts.models import Role
from portal.organisations.models import MemberRole, Membership, OrganisationKind
from tests.factories import OrganisationFactory, UserFactory, build_tree, grant
from tests.factories.accounts import PASSWORD


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached counters live in the cache: start every test clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def people(tree):
    """One user per role in street A (community A1), plus their counterparts in street B."""
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

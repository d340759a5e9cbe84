"""Browser journeys: Playwright driving Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("chromium is not installed (scripts/test installs Debian's package)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def site(live_server):
    """The live server's base URL."""
    return live_server.url


AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_violations():
    """Run axe-core (from npm, vendored under node_modules) on the page; return serious and critical violations."""
    if not os.path.exists(AXE):
        pytest.skip("axe-core is not installed (scripts/test runs npm ci)")

    def check(page):
        page.add_script_tag(path=AXE)
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check


# Playwright's sync API keeps an asyncio loop running in this thread, so Django hands
# the tests a context-local database connection that lacks the snapshot Django took
# of the migrated data (Wagtail's root page, the Editors group's permissions...).
# Take the snapshot before the first browser starts and restore it after each flush.
@pytest.fixture(scope="session", autouse=True)
def _migrated_data_snapshot(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        return getattr(connection, "_test_serialized_contents", None) or connection.creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _restore_migrated_data(request, _migrated_data_snapshot):
    if "live_server" not in request.fixturenames:
        return
    from django.db import connection
    from wagtail.models import Page

    request.getfixturevalue("transactional_db")
    connection._test_serialized_contents = _migrated_data_snapshot
    if not Page.objects.exists():
        connection.creation.deserialize_db_from_string(_migrated_data_snapshot)

"""Browser journeys: Playwright driving Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    unsafe = []
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # A committing test without serialized_rollback ends with a flush that runs post_migrate: the
            # content types it makes again break the next journey's restore (seen as a cascade of errors).
            marker = item.get_closest_marker("django_db")
            if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
                unsafe.append(item.nodeid)
    if unsafe:
        raise pytest.UsageError(
            "journeys must be marked django_db(transaction=True, serialized_rollback=True): " + ", ".join(unsafe)
        )


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


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Every journey runs under the production policy: a page of ours that needs an inline script
    (or that let one in) shows up as a violation in chromium's console, and fails the test."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations = []

    def watch(message):
        if "Content Security Policy" in message.text and "/admin/" not in page.url:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", watch)
    yield
    assert not violations, violations


@pytest.fixture
def site(live_server):
    """The live server's base URL."""
    return live_server.url


AXE = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "axe-core", "axe.min.js")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_violations():
    """Run axe-core (from npm, vendored under node_modules) on the page; return its violations of the given
    impacts (serious and critical by default; `impacts=None` for every impact)."""
    if not os.path.exists(AXE):
        pytest.skip("axe-core is not installed (scripts/test runs npm ci)")

    with open(AXE, encoding="utf-8") as handle:
        source = handle.read()

    def check(page, impacts=("serious", "critical")):
        page.wait_for_load_state()
        # Evaluated through the DevTools protocol, which the page's CSP does not govern: a <script>
        # tag would be an inline script, refused by the production policy the pages run under.
        page.evaluate(source + "\n;void 0")
        result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if impacts is None or v["impact"] in impacts
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

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def test_healthz_reports_every_service(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "search", "ledger"}
    assert body["checks"]["search"]["detail"] == "database"


def test_healthz_reports_a_broken_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503 and not response.json()["checks"]["broker"]["ok"]


def test_the_schema_lists_our_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/regions/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{id}/verify/",
        "/api/v1/me/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths
    assert all(p.startswith("/api/v1/") for p in paths)


def test_the_api_docs_render_without_a_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "swagger" in html.lower() and "cdn" not in html.lower() and "/static/" in html


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "<h1>" in response.content.decode()


def _manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        SECRET_KEY="x" * 20 + "-production-secret-for-the-check-only-0123456789",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.slow
def test_models_and_migrations_agree():
    result = _manage("makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="portal.settings.test")
    assert result.returncode == 0, result.stdout


def test_every_environment_variable_is_documented():
    import re

    read = set()
    for path in (ROOT / "portal" / "settings").glob("*.py"):
        read |= set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', path.read_text()))
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read and read <= documented, sorted(read - documented)


def _po_entries(path):
    """(msgid, msgstr, fuzzy) for each entry of a simple .po file (plurals with one form; a msgid with
    a context is given as "context\x04msgid", as gettext looks it up)."""
    import ast

    entries, current, field, fuzzy = [], {}, None, False
    for line in path.read_text().splitlines() + [""]:
        if not line.strip():
            msgid = current.get("msgid")
            if msgid and "msgctxt" in current:
                msgid = f"{current['msgctxt']}\x04{msgid}"
            if msgid and "msgid_plural" not in current:
                entries.append((msgid, current.get("msgstr", ""), fuzzy))
            elif msgid:  # plural: one form in Chinese; check it is filled
                entries.append((msgid, None if current.get("msgstr") else "", fuzzy))
            current, field, fuzzy = {}, None, False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ", "msgid_plural ", "msgstr[0] ")):
            field, _, literal = line.partition(" ")
            field = "msgstr" if field == "msgstr[0]" else field
            current[field] = ast.literal_eval(literal)
        elif line.startswith('"') and field:
            current[field] += ast.literal_eval(line)
    return entries


def test_the_chinese_catalogue_is_complete_and_compiled():
    import gettext

    locale = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
    entries = _po_entries(locale / "django.po")
    assert entries
    assert [m for m, t, fuzzy in entries if (t is not None and not t) or fuzzy] == []
    with open(locale / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [m for m, t, _f in entries if t is not None and compiled.gettext(m) != t]
    assert stale == [], "run: manage.py compilemessages -l zh_Hans"


def test_the_english_wording_catalogue_is_compiled():
    """locale/en rewords allauth's English (portal/accounts/wording.py): "Log in", not "Sign In"."""
    import gettext

    locale = ROOT / "locale" / "en" / "LC_MESSAGES"
    entries = [(m, t, fuzzy) for m, t, fuzzy in _po_entries(locale / "django.po") if t]
    assert ("Sign In", "Log in", False) in entries and ("field label\x04Login", "Username or email", False) in entries
    assert [m for m, _t, fuzzy in entries if fuzzy] == []
    with open(locale / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [m for m, t, _f in entries if compiled.gettext(m) != t]
    assert stale == [], "run: manage.py compilemessages -l en -l zh_Hans --ignore=.venv"


def test_the_openapi_schema_is_valid_and_warning_free(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/organisations/" in (tmp_path / "schema.yml").read_text()

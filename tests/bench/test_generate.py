"""bench/generate.py runs end to end on a tiny district, so that a schema change it is not told of
(a NOT NULL column its COPY does not write, say) fails here rather than at the next benchmark.

The generator runs as a subprocess, as it is run by hand, into a throw-away PostgreSQL database of
this process's own (not pytest-django's test database: the test uses no `db` fixture). The database
is copied from the generator's migrated template (`--from-template`), so only the first run on a
machine, or the first after a migration changes, pays for the migrations. Skipped without PostgreSQL:
DATABASE_URL's server when it names one, else 127.0.0.1:5432.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from psycopg import sql

from bench import generate
from search.models import TERMS_VECTOR_SQL
from search.segment import query_terms

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql", "postgis"}
RESIDENTS = 2000

# Each step and what it must have filled: (table, condition). A step added to STEPS without a line
# here fails the test, so the new step is covered too.
FILLED = {
    "categories": [("core_category", "TRUE")],
    "regions": [("regions_region", "level = 'sub_grid'")],
    "users": [("accounts_user", "username LIKE 'resident%'")],
    "emails": [("account_emailaddress", 'verified AND "primary"')],
    "residences": [("accounts_roleassignment", "role = 'resident'")],
    "organisations": [
        ("organisations_organisation", "kind = 'department'"),
        ("organisations_organisation_categories", "TRUE"),
        ("organisations_organisation_service_regions", "TRUE"),
        ("organisations_membership", "role = 'admin'"),
    ],
    "pages": [("pages_homepage", "TRUE"), ("wagtailcore_page", f"slug = '{generate.STOCK_PAGE_SLUG}' AND live")],
    "needs": [("needs_need", "TRUE")],
    "bench_staff": [("accounts_user", "username = 'benchstaff'"), ("mfa_authenticator", "TRUE")],
    "cms": [("pages_noticepage", "TRUE"), ("pages_projectbookpage", "TRUE"), ("pages_projectbookentry", "TRUE")],
    "market_projects": [("projects_project", "TRUE")],
    "market_ledger": [
        ("funding_payment", "status = 'refunded' AND provider = 'offline'"),
        ("funding_ledgerentry", "kind = 'refund'"),
        ("funding_chainhead", "sequence = (SELECT max(sequence) FROM funding_ledgerentry)"),
    ],
    "deliberation": [
        ("councils_council", "TRUE"),
        ("topics_topic", "TRUE"),
        ("topics_support", "TRUE"),
        ("meetings_meeting", "TRUE"),
        ("meetings_agendaitem", "TRUE"),
    ],
    "funding_calls": [
        ("calls_fundingcall", "slug IN ('bench-review', 'bench-notice')"),
        ("calls_declaration", "status = 'submitted'"),
        ("calls_reviewassignment", "status = 'submitted'"),
        ("calls_award", "TRUE"),
        ("calls_panelmember", "TRUE"),
    ],
    "search_index": [
        ("search_searchentry", "doc_type = 'need'"),
        ("search_searchentry", "doc_type = 'project'"),
    ],
}
# A word of bench/need_phrases.py's commonest phrasings: the needs step titles needs with it, and the
# search_index step makes them findable by it.
COMMON_WORD = "楼道"


def _server_url():
    """DATABASE_URL's PostgreSQL server when it names one, else the local one; None when not reachable."""
    configured = os.environ.get("DATABASE_URL", "")
    url = configured if urlsplit(configured).scheme in POSTGRES_SCHEMES else LOCAL_SERVER
    try:
        with psycopg.connect(generate.database_url_for(url, "postgres"), connect_timeout=3):
            return url
    except psycopg.OperationalError:
        return None


@pytest.fixture
def bench_database_url():
    server = _server_url()
    if server is None:
        pytest.skip("no PostgreSQL server (DATABASE_URL or 127.0.0.1:5432)")
    url = generate.database_url_for(server, f"gongzhi_bench_test_{os.getpid()}")
    yield url
    conninfo, dbname = generate.admin_conninfo(url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))


def _generator_environment():
    """The generator's own settings (bench.bench_settings), a cache of its own, tasks run in-process:
    nothing of the test session's database, cache or broker."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "BENCH_DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL"}
    }
    env["CACHE_URL"] = "locmemcache://bench-generate-test"
    return env


def test_every_step_fills_its_tables_on_a_tiny_district(bench_database_url):
    assert {step.__name__ for step in generate.STEPS} == set(FILLED), "a step without its tables in FILLED"
    command = [sys.executable, "bench/generate.py", f"--residents={RESIDENTS}", "--reset", "--from-template"]
    result = subprocess.run(
        [*command, f"--database-url={bench_database_url}"],
        cwd=ROOT,
        env=_generator_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"generate.py failed:\n{result.stdout}\n{result.stderr}"
    assert "already present" not in result.stdout, result.stdout
    assert "done in" in result.stdout, result.stdout

    empty = []
    with psycopg.connect(bench_database_url) as conn:
        for step, tables in FILLED.items():
            for table, condition in tables:
                if not generate.has_rows(conn, table, condition):
                    empty.append(f"{step}: {table} WHERE {condition}")
        accounts = conn.execute("SELECT count(*) FROM accounts_user WHERE username LIKE 'resident%'").fetchone()[0]
        found, titled = conn.execute(
            f"SELECT count(*), count(*) FILTER (WHERE n.title LIKE %s) FROM search_searchentry e"
            f" JOIN needs_need n ON n.id = e.object_id"
            f" WHERE e.doc_type = 'need' AND {TERMS_VECTOR_SQL} @@ to_tsquery('simple', %s)",
            [f"%{COMMON_WORD}%", " & ".join(query_terms(COMMON_WORD))],
        ).fetchone()
    assert not empty, "steps that left tables without rows:\n" + "\n".join(empty)
    assert accounts == RESIDENTS
    # The database backend's match (the GIN index's expression) finds needs by a word of their titles.
    assert found > RESIDENTS // 100 and titled == found, (found, titled)

"""On PostgreSQL every statement the database backend's search runs (hits, counts per type, the other
facets) can go through the public GIN index (search_terms_vector): over 20,000 entries of the bench's need
titles, for a one-character word (a prefix query) or two words, with and without a type filter.

The planner is asked to avoid a scan where it has another way (enable_seqscan = off, which still scans
when nothing else can answer): over 20,000 entries a scan of the stored text vectors is cheaper and the
planner rightly takes it, so what this holds is the query's shape (the stored vector, the audience as the
partial index's predicate). Over the bench's two million entries the planner takes the index by itself:
bench/search_latency.py prints the plans and fails on a scan."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from bench import need_phrases
from bench.generate import ARTERIALS, ESTATE_SUFFIXES, ROAD_SUFFIXES, place_name
from search.models import SearchEntry
from search.query import search
from search.segment import index_terms

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL's plans: SQLite searches through its FTS5 table, which has no planner choice to test",
    ),
]

ENTRIES = 20_000
INDEX = "search_terms_vector"
FULL_SCAN = "Seq Scan on search_searchentry"


def _entries():
    """Needs titled as bench/generate.py titles them (drawn by weight, places filled in), and one project in
    ten: realistic words at realistic frequencies."""
    rng = random.Random(22)
    phrases = need_phrases.phrases()
    draw = need_phrases.draw_table(phrases)
    now = timezone.now()
    for n in range(ENTRIES):
        place = place_name(rng.randrange(1000))
        title = phrases[rng.choice(draw) - 1].title.format(
            community=f"{place}社区",
            estate=place + rng.choice(ESTATE_SUFFIXES),
            road=place + rng.choice(ROAD_SUFFIXES),
            road2=rng.choice(ARTERIALS),
            bldg=rng.randint(1, 42),
        )
        doc_type = "project" if n % 10 == 0 else "need"
        yield SearchEntry(
            doc_type=doc_type,
            object_id=n,
            title=title,
            url=f"/{doc_type}s/{n}/",
            terms=f" {index_terms(title)} ",
            region_path=f"0001{1 + n % 5:04d}{1 + n % 40:04d}",
            category_id=1 + n % 12,
            status="closed" if n % 5 else "dispatched",
            dated=now - timezone.timedelta(minutes=n * 20),
        )


def _statements(text, **options):
    """The (sql, params) of every statement one search runs, as PostgreSQL receives them."""
    seen = []

    def keep(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        answer = search(text, language="zh-hans", **options)
    return answer, seen


def test_every_search_statement_can_use_the_gin_index():
    SearchEntry.objects.bulk_create(_entries(), batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    wrong = []
    for text, options in [("园", {}), ("社区 养老", {}), ("楼道 杂物", {}), ("社区 养老", {"doc_type": "need"})]:
        answer, statements = _statements(text, **options)
        assert answer.total, f"{text!r} found nothing among the generated entries"
        for sql, params in statements:
            if "search_searchentry" not in sql:
                continue
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(line for (line,) in cursor.fetchall())
            # The page's rows are then read by their ids (the primary key): that is no search.
            if FULL_SCAN in plan or (INDEX not in plan and "search_searchentry_pkey" not in plan):
                wrong.append(f"{text!r} {options}:\n{sql}\n{params}\n{plan}")
    assert not wrong, "statements not through the GIN index:\n\n" + "\n\n".join(wrong)

"""How long a search takes, straight against the bench database: p50/p95/p99 of `search.query.search`.

    .venv/bin/python bench/search_latency.py [--calls 200] [--database-url …] [--explain 园,社区 养老]

wrk (bench/run.py's `search` group) reports p50, p90 and p99 of whole requests; the figure the search
layer is held to is the p95 of the query itself, so this calls the search layer in-process (as the API
does: page 1, the reader's language zh-hans) `--calls` times per row, cycling through the row's
queries, after one unmeasured call of each. Then it prints EXPLAIN (ANALYZE, BUFFERS) of every
statement one search of each `--explain` query runs, and whether each used the GIN index
(search_terms_vector) or read search_searchentry whole (Seq Scan). Fill the database first with
bench/generate.py (its search_index step writes the entries). The table is also written to bench/out/.
"""

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    SEARCH_ENGLISH,
    SEARCH_ONE_CHARACTER,
    SEARCH_RARE,
    SEARCH_TWO_WORDS,
    configure,
    describe_machine,
)

INDEX = "search_terms_vector"
FULL_SCAN = "Seq Scan on search_searchentry"


@dataclass
class Row:
    name: str
    queries: list
    options: dict = field(default_factory=dict)
    times_ms: list = field(default_factory=list)
    hits: list = field(default_factory=list)
    statements: int = 0


def rows():
    """What is measured: the Done-when's two-word query alone, then varied queries of each kind (words of
    bench/need_phrases.py, common and rare)."""
    return [
        Row(f"two common words: {SEARCH_TWO_WORDS}", [SEARCH_TWO_WORDS]),
        Row(
            "two words, varied",
            ["社区 养老", "楼道 杂物", "垃圾 分类", "停车 车位", "电梯 维修", "暖气 不热", "加装 电梯", "厨余 垃圾"],
        ),  # fmt: skip
        Row(f"one character: {SEARCH_ONE_CHARACTER}", [SEARCH_ONE_CHARACTER]),
        Row("one character, varied", ["园", "楼", "灯", "车", "水", "老", "路", "门"]),
        Row("two rare words, varied", [SEARCH_RARE, "担保 贷款", "回迁 时间", "盲道 单车"]),
        Row("English words", [SEARCH_ENGLISH, "parking", "elevator", "garbage"]),
        Row(f"two words, needs only: {SEARCH_TWO_WORDS}", [SEARCH_TWO_WORDS], {"doc_type": "need"}),
        Row(
            "two words, needs, first street",
            ["社区 养老", "楼道 杂物", "停车 车位"],
            {"doc_type": "need", "street": True},
        ),
    ]


def percentile(sorted_values, share):
    """Nearest rank: the smallest value at or above `share` of the values."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def first_street_path():
    from portal.regions.models import Region

    street = Region.objects.filter(level="street").order_by("path").first()
    return street.path if street else ""


class Statements:
    """The (sql, params) of every statement run inside it, as the database receives them."""

    def __init__(self):
        self.seen = []

    def __call__(self, execute, sql, params, many, context):
        self.seen.append((sql, params))
        return execute(sql, params, many, context)


def measure(row, calls, street):
    from django.db import connection

    from search.query import search

    options = {"language": "zh-hans", **row.options}
    if options.pop("street", False):
        options["region_path"] = street
    for text in row.queries:  # unmeasured: the first call of a query reads its pages from disk
        search(text, **options)
    statements = Statements()
    for n in range(calls):
        text = row.queries[n % len(row.queries)]
        with connection.execute_wrapper(statements):
            started = time.perf_counter()
            answer = search(text, **options)
            row.times_ms.append((time.perf_counter() - started) * 1000)
        row.hits.append(answer.total)
    row.statements = len(statements.seen) // max(calls, 1)


def explain(text):
    """Every statement one search of `text` runs, with its plan; True when none read the entries whole
    and every one that reads them went through the GIN index."""
    from django.db import connection

    from search.query import search

    statements = Statements()
    with connection.execute_wrapper(statements):
        search(text, language="zh-hans")
    good = True
    print(f"\n=== EXPLAIN (ANALYZE, BUFFERS): {text!r}, {len(statements.seen)} statements")
    with connection.cursor() as cursor:
        for sql, params in statements.seen:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = "\n".join(line for (line,) in cursor.fetchall())
            reads_entries = "search_searchentry" in sql
            uses_index, scans = INDEX in plan, FULL_SCAN in plan
            verdict = "GIN index" if uses_index else "no GIN index"
            if scans:
                verdict += ", FULL SCAN of search_searchentry"
            good = good and not scans and (uses_index or not reads_entries)
            print(f"\n-- {verdict}\n{sql}\n-- params: {list(params or ())}\n{plan}")
    return good


def table(measured):
    lines = [
        "| queries | calls | hits (mean) | statements | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in measured:
        times = sorted(row.times_ms)
        lines.append(
            f"| {row.name} | {len(times)} | {sum(row.hits) / len(row.hits):,.0f} | {row.statements} | "
            f"{percentile(times, 0.50):,.1f} | {percentile(times, 0.95):,.1f} | {percentile(times, 0.99):,.1f} | "
            f"{times[-1]:,.1f} |"
        )
    return "\n".join(lines)


def describe_index():
    from django.db import connection
    from django.db.models import Count

    from search.models import SearchEntry

    counts = dict(SearchEntry.objects.values_list("doc_type").annotate(n=Count("pk")).order_by())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchentry')), version()")
        size, server = cursor.fetchone()
    entries = ", ".join(f"{name} {n:,}" for name, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{sum(counts.values()):,} entries ({entries}), {size} with indexes; {server.split(' on ')[0]}"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--calls", type=int, default=200, help="measured searches per row")
    parser.add_argument(
        "--explain",
        type=lambda s: [q for q in s.split(",") if q],
        default=[SEARCH_ONE_CHARACTER, SEARCH_TWO_WORDS],
        help="comma-separated queries whose statements are EXPLAINed (default: 园,社区 养老)",
    )
    parser.add_argument("--explain-only", action="store_true", help="print the plans, measure nothing")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    configure(args.database_url)
    import django

    django.setup()
    machine, index = describe_machine(), describe_index()
    print(f"{machine}\n{index}", flush=True)
    text = ""
    if not args.explain_only:
        street = first_street_path()
        measured = []
        for row in rows():
            measure(row, args.calls, street)
            measured.append(row)
            print(f"  {row.name:<44} p95 {percentile(sorted(row.times_ms), 0.95):>8,.1f} ms", flush=True)
        text = (
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}.  \n"
            f"Index: {index}.  \nIn-process `search.query.search(…, language='zh-hans')`, "
            f"{args.calls} calls a row after one unmeasured call of each query.\n\n{table(measured)}\n"
        )
    verdicts = [explain(query) for query in args.explain]  # every query's plans, even after a bad one
    plans_good = all(verdicts)
    if text:
        args.out.mkdir(parents=True, exist_ok=True)
        path = args.out / f"search-latency-{datetime.now(UTC):%Y%m%d-%H%M%S}.md"
        path.write_text(text)
        print(f"\n{text}\nwritten to {path}")
    print("every plan used the GIN index" if plans_good else "A PLAN READ search_searchentry WITHOUT THE GIN INDEX")
    return 0 if plans_good else 1


if __name__ == "__main__":
    sys.exit(main())

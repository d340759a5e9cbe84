"""Load-test the portal: gunicorn against the bench database, wrk against each target.

    .venv/bin/python bench/run.py [--duration 10s] [--connections 8] [--urls /,/healthz] [--group pages]

Fill the database first with bench/generate.py. The app runs with
bench.bench_settings (production settings, see there), `collectstatic` is run
when var/static has no manifest yet, and the table is printed and written to
bench/out/. Queries per page are counted in this process with Django's test
client, on a second request so that per-process caches are warm, as they are
under wrk; the first request's count is shown in brackets when it differs.
The same client measures the app's CPU time per request, which moves much less
than wrk's figures when something else is using the machine.
"""

import argparse
import os
import platform
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = "bench.bench_settings"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gongzhi_bench"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    user: str | None = None  # log in as this user (bench/generate.py creates `benchstaff`)
    # CMS pages: "hit" must be served from the page cache (X-Page-Cache: hit), "bypass" must not be.
    page_cache: str | None = None
    group: str = ""  # --group picks these targets (and the minimal view)


# A query parameter the page cache does not know makes it serve the page uncached
# (portal/pages/cache.py), so both rows run against the same server and cache.
UNCACHED = "nocache=1"


def cms_targets(name, path):
    """The same page served from the page cache (anonymous, warm) and rendered on every request."""
    return [
        Target(f"{name}, page cache", path, page_cache="hit", group="pages"),
        Target(f"{name}, uncached", f"{path}?{UNCACHED}", page_cache="bypass", group="pages"),
    ]


def kept_targets(name, path, group):
    """A public view kept for anonymous visitors (portal/core/kept_views.py): served from its kept
    copy, and rendered on every request (`nocache`) by the same server."""
    joiner = "&" if "?" in path else "?"
    return [
        Target(f"{name}, kept copy", path, page_cache="hit", group=group),
        Target(f"{name}, rendered", f"{path}{joiner}{UNCACHED}", page_cache="bypass", group=group),
    ]


def search_target(name, path, query, extra=""):
    """A search (page or API) for `query`, percent-encoded as a browser sends it. Never cached: each
    request runs the query (the words of bench/need_phrases.py; generate.py's search_index step)."""
    return Target(name, f"{path}?q={quote_plus(query)}{extra}", group="search")


# The queries of the search rows (and of bench/search_latency.py): 社区 and 养老 are both common,
# 视障 读报 is the rarest phrase's, 园 a one-character word (a prefix query), lift has no Chinese.
SEARCH_TWO_WORDS = "社区 养老"
SEARCH_ONE_CHARACTER = "园"
SEARCH_RARE = "视障 读报"
SEARCH_ENGLISH = "lift"

MINIMAL = Target("minimal Django view", "/bench/minimal")
STOCK_PAGE_PATH = "/bench-stock-page/"
# Later issues append their pages here.
TARGETS = [
    MINIMAL,
    Target(
        "stock Wagtail page, uncached",
        f"{STOCK_PAGE_PATH}?{UNCACHED}",
        page_cache="bypass",
        group="pages,market,deliberation,calls,search",
    ),
    *cms_targets("home page", "/"),
    *cms_targets("notice list (50 notices)", "/notices/"),
    *cms_targets("project book (30 projects)", "/project-books/2026-3/"),
    Target("organisation list", "/organisations/"),
    Target("API regions, communities", "/api/v1/regions/?level=community"),
    Target("API organisations", "/api/v1/organisations/"),
    Target("health check", "/healthz"),
    Target("public needs list", "/needs/"),
    Target("needs overview by street", "/needs/overview/"),
    Target("API needs", "/api/v1/needs/"),
    Target("staff work queue (district)", "/needs/queue/", user="benchstaff", group="queue"),
    Target("staff queue, overdue only", "/needs/queue/?overdue=on", user="benchstaff", group="queue"),
    # The marketplace (generate.py's market_projects and market_ledger steps: 100,000 projects,
    # a million ledger rows). Project 1041 is a published project with about ten gifts.
    *kept_targets("project list (100,000 projects)", "/projects/", "market"),
    *kept_targets("project list, open for funding, closing soon", "/projects/?status=published&sort=closing", "market"),
    *kept_targets("project list, most needed", "/projects/?sort=needed", "market"),
    *kept_targets("project page (gifts, ledger, funders)", "/projects/1041/", "market"),
    *kept_targets("API projects", "/api/v1/projects/", "market"),
    Target("API ledger of one project", "/api/v1/ledger/?project=1041", group="market"),
    # Deliberation (generate.py's deliberation step: a council per street and community, 40 topics
    # and 8 meetings each). bench-210299001 is the first street's council; meeting 2 is past with
    # its minutes, meeting 5 is announced; topic 1 is collecting support.
    *kept_targets("topic list", "/topics/", "deliberation"),
    *kept_targets("topic page", "/topics/1/", "deliberation"),
    *kept_targets("meeting list", "/meetings/", "deliberation"),
    *kept_targets("meeting page, past with minutes", "/meetings/2/", "deliberation"),
    *kept_targets("meeting page, announced", "/meetings/5/", "deliberation"),
    *kept_targets("council page", "/councils/bench-210299001/", "deliberation"),
    *kept_targets("API topics", "/api/v1/topics/", "deliberation"),
    *kept_targets("API meetings", "/api/v1/meetings/", "deliberation"),
    # Funding calls (generate.py's funding_calls step: two district calls of 5,000 declarations, each scored
    # by three reviewers): the staff's review board, first and last page, and the results in public notice.
    Target("review board (5,000 declarations)", "/calls/bench-review/review/", user="benchstaff", group="calls"),
    Target("review board, last page", "/calls/bench-review/review/?page=100", user="benchstaff", group="calls"),
    *kept_targets("call results (5,000 ranked)", "/calls/bench-notice/", "calls"),
    Target("call results, last page", "/calls/bench-notice/?results=100&nocache=1", page_cache="bypass", group="calls"),
    # Search over every public record (a million needs, 100,000 projects…), the database backend.
    search_target("search page, two common words", "/search/", SEARCH_TWO_WORDS),
    search_target("API search, two common words", "/api/v1/search/", SEARCH_TWO_WORDS),
    search_target("API search, one character", "/api/v1/search/", SEARCH_ONE_CHARACTER),
    search_target("API search, two rare words", "/api/v1/search/", SEARCH_RARE),
    search_target("API search, an English word", "/api/v1/search/", SEARCH_ENGLISH),
    search_target("API search, two words, needs only", "/api/v1/search/", SEARCH_TWO_WORDS, "&type=need"),
]
SESSION_COOKIES = {}  # username -> session cookie value, shared by the in-process client and wrk


@dataclass
class Result:
    target: Target
    queries: int = 0
    cold_queries: int = 0
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    cpu_ms: float = 0.0


# --- Environment --------------------------------------------------------------------


def configure(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))


def manage(*args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def collect_static(force):
    from django.conf import settings

    if force or not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        print("collectstatic …", flush=True)
        manage("collectstatic", "--noinput", "-v0")


def describe_scale():
    from django.db import connection
    from django.db.models import Count

    from portal.accounts.models import User
    from portal.organisations.models import Organisation
    from portal.regions.models import Region

    levels = dict(Region.objects.values_list("level").annotate(n=Count("id")).order_by())
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return (
        f"{User.objects.count():,} users, {levels.get('community', 0):,} communities, "
        f"{levels.get('grid', 0):,} grids, {Organisation.objects.count():,} organisations; PostgreSQL {server}"
    )


def describe_machine():
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.open() if line.startswith("model name")), "")
    # Other work on the machine skews every figure; say how busy it was.
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    cores = f"{os.cpu_count()} cores {model}".strip()
    return f"{cores}, Python {platform.python_version()}, load average {load} before the run"


# --- Queries per page ---------------------------------------------------------------


def _client_for(username):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    if username:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
        _record_second_factor(client, user)
        SESSION_COOKIES[username] = client.cookies["sessionid"].value
    return client


def _record_second_factor(client, user):
    """Mark the session as having passed the second factor, as a TOTP login does.

    Staff pages refuse a session opened with the password alone (StaffMFARequiredMiddleware);
    `benchstaff` has a TOTP authenticator, and this is the record allauth keeps of its use.
    """
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    session = client.session
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    record_authentication(
        SimpleNamespace(session=session), user, "mfa", id=getattr(authenticator, "pk", None), type="totp"
    )
    session.save()


def purge_page_cache(results):
    """Drop what an earlier run (maybe against another database) left in the page cache for these paths."""
    from portal.core.writes import renew_data_version
    from portal.pages.cache import purge_path

    renew_data_version()  # the portal's own kept views
    for path in {r.target.path.split("?")[0] for r in results if r.target.page_cache}:
        purge_path(path)


def measure_in_process(results, show_sql, samples):
    """Queries per request, and the app's own CPU time per request.

    CPU time (process_time: no waiting on PostgreSQL or Redis, no other
    process's work) moves much less than wrk's figures when the machine is busy.
    The samples go round the targets, one request each in turn, so that every
    row sees the same background load (another process's work still slows this
    one through the shared cores and caches, but now alike for every row).
    """
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    clients = []
    for result in results:
        client = _client_for(result.target.user)
        clients.append(client)
        path = result.target.path
        for attempt in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} in-process; is the database generated?")
            if attempt == "cold":
                result.cold_queries = len(captured)
        result.queries = len(captured)
        if show_sql:
            print(f"\n-- {path}: {len(captured)} queries")
            for query in captured.captured_queries:
                print(f"   {query['time']}s  {query['sql']}")
    spent = [0.0] * len(results)
    with CollectorClock() as collector:
        for _ in range(samples):
            for i, (result, client) in enumerate(zip(results, clients, strict=True)):
                started, collecting = time.process_time(), collector.seconds
                client.get(result.target.path)
                spent[i] += time.process_time() - started - (collector.seconds - collecting)
    for result, seconds in zip(results, spent, strict=True):
        result.cpu_ms = seconds / max(samples, 1) * 1000
    connections.close_all()  # the server gets the database to itself
    requests = samples * len(results)
    return f"{collector.seconds * 1000:,.0f} ms in {collector.runs} collections over {requests:,} requests"


class CollectorClock:
    """The CPU time Python's garbage collector takes, left out of each row's app CPU.

    A full collection (~80 ms in a worker after start-up) falls on whichever request
    happens to allocate last before it: among 100 samples it would add almost 1 ms to
    one row and nothing to the others. Its total is reported in the header instead.
    """

    def __enter__(self):
        import gc

        self.seconds, self.runs, self._started = 0.0, 0, None
        gc.callbacks.append(self._track)
        return self

    def __exit__(self, *exc):
        import gc

        gc.callbacks.remove(self._track)

    def _track(self, phase, info):
        if phase == "start":
            self._started = time.process_time()
        elif self._started is not None:
            self.seconds += time.process_time() - self._started
            self.runs += 1
            self._started = None


# --- Serving and loading ------------------------------------------------------------


def start_server(port, workers, log_path):
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--error-logfile", "-"]
    with log_path.open("w") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    print(f"gunicorn pid {process.pid} on 127.0.0.1:{port}, {workers} workers, log {log_path}", flush=True)
    return process


def wait_until_ready(process, base_url, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(base_url + MINIMAL.path, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn not answering after {timeout} s; see {log_path}")


def stop_server(process):
    process.terminate()  # the master stops its workers gracefully
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def check_page_cache(target, url):
    """Fail rather than report a cached row that was rendered, or an uncached one that was a cache hit."""
    if not target.page_cache:
        return
    for _ in range(2):  # the first request may store the page; the second must then be a hit
        with urllib.request.urlopen(url, timeout=30) as response:
            header = response.headers.get("X-Page-Cache")
    if header != {"hit": "hit", "bypass": None}[target.page_cache]:
        raise SystemExit(f"{target.path}: expected page cache {target.page_cache}, got X-Page-Cache: {header}")


def drain(base_url):
    """Wait for the requests wrk left behind to be served.

    Sync workers finish every request they accepted even when wrk has closed its end,
    so a slow page's backlog (20 connections x 1 s) would eat into the next measurement.
    This request queues behind that backlog.
    """
    with urllib.request.urlopen(base_url + MINIMAL.path, timeout=300) as response:
        response.read()


def wrk(url, duration, connections, threads, cookie=None, timeout="2s"):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", f"--timeout={timeout}", "--latency", url]
    # As every browser does: the page cache then sends its kept pages compressed.
    command[1:1] = ["-H", "Accept-Encoding: gzip"]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(output, result):
    if re.search(r"^\s+0 requests in", output, re.M):
        raise SystemExit(f"wrk completed no request:\n{output}")
    result.requests_per_second = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    for percentile, attribute in (("50", "p50_ms"), ("99", "p99_ms")):
        value, unit = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M).groups()
        setattr(result, attribute, float(value) * UNITS_MS[unit])
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    result.errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, sockets.groups())) if sockets else 0)


def load_test(results, base_url, args):
    for result in results:
        url = base_url + result.target.path
        cookie = SESSION_COOKIES.get(result.target.user)
        check_page_cache(result.target, url)
        if args.warmup:
            wrk(url, args.warmup, args.connections, args.threads, cookie, args.timeout)  # every worker renders it once
            drain(base_url)
        parse_wrk(wrk(url, args.duration, args.connections, args.threads, cookie, args.timeout), result)
        drain(base_url)
        print(f"  {result.target.path:<40} {result.requests_per_second:>9,.1f} req/s", flush=True)


# --- Report ------------------------------------------------------------------------


def table(results):
    """The results; with the stock Wagtail page among them, each row's app CPU against it too.

    *CPU vs stock* is the stock page's app CPU ms divided by the row's: above 1.00, the row
    costs the server less than Wagtail's plainest page rendered on every request.
    """
    baseline = next(r for r in results if r.target == MINIMAL).requests_per_second
    stock = next((r for r in results if r.target.path.startswith(STOCK_PAGE_PATH)), None)
    head = "| page | path | requests/s | p50 ms | p99 ms | vs minimal | queries | app CPU ms |"
    rule = "|---|---|---:|---:|---:|---:|---:|---:|"
    if stock is not None:
        head, rule = head + " CPU vs stock |", rule + "---:|"
    lines = [head + " errors |", rule + "---:|"]
    for r in results:
        queries = str(r.queries) if r.queries == r.cold_queries else f"{r.queries} ({r.cold_queries} cold)"
        row = (
            f"| {r.target.name} | `{r.target.path}` | {r.requests_per_second:,.1f} | {r.p50_ms:,.1f} | "
            f"{r.p99_ms:,.1f} | {r.requests_per_second / baseline:.2f} | {queries} | {r.cpu_ms:.1f} |"
        )
        if stock is not None:
            row += f" {stock.cpu_ms / r.cpu_ms:.2f} |" if r.cpu_ms else " – |"
        lines.append(f"{row} {r.errors} |")
    return "\n".join(lines)


def report(results, args, scale, machine, collector=""):
    header = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine}.",
        f"Data: {scale}.",
        f"App CPU: {args.cpu_samples} requests a row in turns; the garbage collector's {collector}, left out.",
        f"gunicorn: {args.workers} sync workers, {SETTINGS}; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration} --timeout={args.timeout} --latency "
        + (f"(after a {args.warmup} warm-up)." if args.warmup else "(no warm-up)."),
    ]
    return "  \n".join(header) + "\n\n" + table(results) + "\n"


# --- Main --------------------------------------------------------------------------


def select_targets(urls, group=None):
    if group:
        groups = set(group.split(","))
        return [MINIMAL, *(t for t in TARGETS if groups & set(t.group.split(",")))]
    if not urls:
        return list(TARGETS)
    wanted = set(urls)
    known = {t.path: t for t in TARGETS}
    chosen = [known.get(path, Target(path, path)) for path in urls]
    # The ratio column needs the baseline in every run.
    return chosen if MINIMAL.path in wanted else [MINIMAL, *chosen]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--duration", default="10s", help="wrk -d per target")
    parser.add_argument("--warmup", default="2s", help="unmeasured wrk run before each target; '' for none")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c")
    parser.add_argument("--threads", type=int, default=2, help="wrk -t")
    parser.add_argument(
        "--timeout", default="2s", help="wrk --timeout: slower responses count as errors, not in the latencies"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--urls", type=lambda s: [u for u in s.split(",") if u], help="comma-separated paths (default: TARGETS)"
    )
    parser.add_argument(
        "--group",
        help="only the targets of these groups, and the minimal view (pages, queue, market, deliberation, calls, "
        "search; several: pages,queue)",
    )
    parser.add_argument("--collectstatic", action="store_true", help="run collectstatic even if var/static has one")
    parser.add_argument("--show-sql", action="store_true", help="print every page's queries")
    parser.add_argument("--cpu-samples", type=int, default=100, help="in-process requests per target for app CPU")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    configure(args.database_url)
    # Before setup: the manifest storage reads staticfiles.json once, when first used.
    collect_static(args.collectstatic)
    import gc

    import django

    django.setup()
    # As portal/wsgi.py does in each gunicorn worker: what is loaded now lives as long as the process.
    gc.collect()
    gc.freeze()
    results = [Result(target) for target in select_targets(args.urls, args.group)]
    scale, machine = describe_scale(), describe_machine()
    purge_page_cache(results)
    collector = measure_in_process(results, args.show_sql, args.cpu_samples)

    args.out.mkdir(parents=True, exist_ok=True)
    server = start_server(args.port, args.workers, args.out / "gunicorn.log")
    try:
        base_url = f"http://127.0.0.1:{args.port}"
        wait_until_ready(server, base_url, args.out / "gunicorn.log")
        load_test(results, base_url, args)
    finally:
        stop_server(server)

    text = report(results, args, scale, machine, collector)
    path = args.out / f"results-{datetime.now(UTC):%Y%m%d-%H%M%S}.md"
    path.write_text(text)
    print(f"\n{text}\nwritten to {path}")


if __name__ == "__main__":
    main()

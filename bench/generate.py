"""Fill a PostgreSQL benchmark database with one district at scale.

    .venv/bin/python bench/generate.py --residents 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/gongzhi_bench

Creates the database if missing, runs `manage.py migrate`, then runs STEPS in
order. Rows generated in Python go in through COPY; rows derived from rows
already in the database (email addresses, residences) are one INSERT … SELECT,
which keeps them off the wire altogether. The ORM is used only for the few
dozen Wagtail pages (whose tree bookkeeping and publishing are not worth
copying) and the projects their project books list.

A step is `(conn, scale) -> rowcount`. It leaves its tables alone when its rows
are already there, so re-running adds only what is missing (say, a step added
by a later issue); `--reset` starts from an empty database. `--only`/`--skip`
take comma-separated step names.
"""

import argparse
import fcntl
import hashlib
import itertools
import os
import random
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/gongzhi_bench"
SETTINGS = "bench.bench_settings"
BENCH_PASSWORD = "Gongzhi-bench-2026"  # every generated account shares it
EMAIL_DOMAIN = "bench.gongzhi.local"
NOW = datetime.now(UTC).replace(microsecond=0)

# --- Scale --------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How big the district is; every count derives from the number of residents.

    About 1,000 residents per community and 200 per grid (a million residents
    make 1,000 communities and 5,000 grids), 4.4 sub-grids per grid as in the
    demo district, 40 communities per street, one organisation per 300 residents.
    """

    residents: int
    resident_fraction: float = 1.0
    organisations_override: int | None = None
    seed: int = 2026
    projects_override: int | None = None
    force_search_index: bool = False  # rebuild the search index even when it holds every public need

    @property
    def communities(self):
        return max(1, round(self.residents / 1000))

    @property
    def grids(self):
        return max(self.communities, round(self.residents / 200))

    @property
    def sub_grids(self):
        return round(self.grids * 4.4)

    @property
    def streets(self):
        return max(1, -(-self.communities // 40))

    @property
    def users(self):
        return round(self.residents * self.resident_fraction)

    @property
    def organisations(self):
        if self.organisations_override is not None:
            return self.organisations_override
        return max(20, self.residents // 300)

    @property
    def notices(self):
        """BENCH_NOTICES from 20,000 residents on; fewer below (each is a Wagtail publish, ~0.3 s), at least 6."""
        return min(BENCH_NOTICES, max(6, self.residents // 400))

    @property
    def projects(self):
        """One project per ten residents: a million residents make 100,000 (and a million ledger rows)."""
        if self.projects_override is not None:
            return self.projects_override
        return max(100, self.residents // 10)

    def describe(self):
        counts = {
            "residents": self.residents,
            "accounts": self.users,
            "streets": self.streets,
            "communities": self.communities,
            "grids": self.grids,
            "sub-grids": self.sub_grids,
            "organisations": self.organisations,
            "projects": self.projects,
        }
        return ", ".join(f"{name} {count:,}" for name, count in counts.items())


def spread(total, buckets):
    """`total` split into `buckets` near-equal counts, larger ones first."""
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


# --- Names (deterministic, plausible Chinese) ------------------------------------

PLACE_FIRST = "长胜新东民站葵白石南莲玉英日北大青茂信友丹永西黄振安锦菜滨香春沿兴海望临渔观松华阳光明和平"
PLACE_SECOND = "春利华关主北英云道山华新海同林和开好东安河兴业风港澜园桥湾泉"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏建华红梅飞鑫波斌宇浩凯健俊帆"
ORG_FIELDS = [
    "养老服务",
    "儿童关爱",
    "助残",
    "环保",
    "垃圾分类",
    "物业",
    "邻里互助",
    "文体",
    "健康",
    "就业",
    "社区营造",
]
ORG_SUFFIXES = {
    "ngo": ["服务中心", "志愿者协会", "促进会", "工作室", "发展中心"],
    "company": ["有限公司", "集团有限公司", "科技有限公司", "物业有限公司"],
    "foundation": ["慈善基金会", "公益基金会"],
    "department": ["局", "办公室", "中心"],
}


def place_name(i):
    return PLACE_FIRST[i % len(PLACE_FIRST)] + PLACE_SECOND[(i // len(PLACE_FIRST)) % len(PLACE_SECOND)]


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


# --- Database helpers -----------------------------------------------------------


def has_rows(conn, table, where="TRUE"):
    query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE {})").format(sql.Identifier(table), sql.SQL(where))
    return conn.execute(query).fetchone()[0]


def next_id(conn, table):
    query = sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}").format(sql.Identifier(table))
    return conn.execute(query).fetchone()[0]


def sync_sequence(conn, table):
    """After COPY with explicit ids, move the identity sequence past them."""
    conn.execute(
        sql.SQL("SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT max(id) FROM {}))").format(
            sql.Identifier(table)
        ),
        [table],
    )


# Optional text columns a model may have gained (the English names of regions and
# organisations): filled blank ("show the Chinese name") when the table has them.
BLANK_IF_PRESENT = ("name_en", "assigned_by", "assignment_reason")


def copy_rows(conn, table, columns, rows):
    """COPY an iterable of tuples into `table`; returns the number of rows.

    Stops before copying when the table has a column that needs a value (NOT NULL, no database
    default) which the step does not write: Django's `default=` is not a database default, so a
    field a model gains later fails the COPY otherwise, one row in, with the step half told.
    """
    present = dict(
        conn.execute(
            """
            SELECT column_name, is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'
            FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s
            """,
            [table],
        ).fetchall()
    )
    blank = [c for c in BLANK_IF_PRESENT if c in present and c not in columns]
    unwritten = [c for c, required in present.items() if required and c not in columns and c not in blank]
    if unwritten:
        raise RuntimeError(
            f"{table} has NOT NULL columns without a database default that the generator does not write: "
            f"{', '.join(unwritten)}; add them to the step's COPY column list"
        )
    if blank:
        columns = [*columns, *blank]
        padding = ("",) * len(blank)
        rows = (tuple(row) + padding for row in rows)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    count = 0
    with conn.cursor() as cur, cur.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def ids_of(conn, query, params=()):
    return [row[0] for row in conn.execute(query, params)]


# --- Steps ------------------------------------------------------------------------


def categories(conn, scale):
    from portal.core.demo import CATEGORIES

    if has_rows(conn, "core_category"):
        return 0
    return copy_rows(conn, "core_category", ["slug", "name", "name_en"], CATEGORIES)


REGION_LEVELS = ["district", "street", "community", "grid", "sub_grid"]
DISTRICT_CODE, DISTRICT_NAME = "210299", "西港区"


def region_rows(scale, first_id):
    """The whole tree in path order, as (id, path, depth, numchild, name, level, code).

    Paths follow treebeard's MP_Node defaults (steplen 4, alphabet 0-9A-Z): the
    n-th child's step is n in base 36, zero-padded. Codes grow by a fixed width
    per level, so code order (the model's node_order_by) and path order agree.
    """
    fanouts = [
        [scale.streets],
        spread(scale.communities, scale.streets),
        spread(scale.grids, scale.communities),
        spread(scale.sub_grids, scale.grids),
    ]
    # Code digits per level (street, community, grid, sub-grid), widened if a level outgrows them.
    widths = [max(w, len(str(max(f, default=0)))) for w, f in zip([3, 3, 2, 2], fanouts, strict=True)]
    children_left = [iter(f) for f in fanouts]  # depth-first order meets each level's nodes in list order
    ids = itertools.count(first_id)
    index_in_level = defaultdict(itertools.count)

    def walk(path, depth, code, name, base):
        children = next(children_left[depth - 1]) if depth <= len(fanouts) else 0
        yield (next(ids), path, depth, children, name, REGION_LEVELS[depth - 1], code)
        for n in range(1, children + 1):
            level = REGION_LEVELS[depth]
            child_name, child_base = region_name(level, n, base, next(index_in_level[level]))
            child_code = f"{code}{n:0{widths[depth - 1]}d}"
            yield from walk(path + tree_step(n), depth + 1, child_code, child_name, child_base)

    yield from walk(tree_step(1), 1, DISTRICT_CODE, DISTRICT_NAME, "")


def region_name(level, n, parent_base, index):
    """(name, stem for the children's names); `index` numbers the region within its level."""
    if level == "street":
        base = place_name(index * 7 + 3)
        return f"{base}街道", base
    if level == "community":
        base = place_name(index)
        return f"{base}社区", base
    if level == "grid":
        return f"{parent_base}第{n}网格", f"{parent_base}{n}"
    return f"{parent_base}-{n}微网格", ""


def tree_step(n, steplen=4, alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    """treebeard's path step for the n-th (1-based) child."""
    digits = ""
    while n:
        n, r = divmod(n, len(alphabet))
        digits = alphabet[r] + digits
    if len(digits) > steplen:
        raise ValueError("more children than a path step can number")
    return digits.rjust(steplen, alphabet[0])


def regions(conn, scale):
    if has_rows(conn, "regions_region"):
        return 0
    rows = region_rows(scale, next_id(conn, "regions_region"))
    count = copy_rows(conn, "regions_region", ["id", "path", "depth", "numchild", "name", "level", "code"], rows)
    sync_sequence(conn, "regions_region")
    check_region_tree(conn)
    return count


def check_region_tree(conn):
    """The same facts treebeard's find_problems() checks, as three set queries."""
    wrong_depth, orphans, wrong_numchild = conn.execute(
        """
        WITH kids AS (
            SELECT left(path, -4) AS parent, count(*) AS n FROM regions_region WHERE depth > 1 GROUP BY 1
        )
        SELECT
            (SELECT count(*) FROM regions_region WHERE depth * 4 <> length(path)),
            (SELECT count(*) FROM kids LEFT JOIN regions_region p ON p.path = kids.parent WHERE p.id IS NULL),
            (SELECT count(*) FROM regions_region r LEFT JOIN kids ON kids.parent = r.path
             WHERE r.numchild <> coalesce(kids.n, 0))
        """
    ).fetchone()
    if wrong_depth or orphans or wrong_numchild:
        raise RuntimeError(f"region tree broken: {wrong_depth=} {orphans=} {wrong_numchild=}")


def password_hash():
    from django.contrib.auth.hashers import make_password

    # One hash for every account: hashing a million passwords would take hours.
    return make_password(BENCH_PASSWORD)


USER_COLUMNS = [
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "is_staff",
    "is_active",
    "date_joined",
    "email",
    "display_name",
    "phone",
    "language",
    "home_community_id",
]


def user_rows(scale, first_id, communities, hashed):
    rng = random.Random(scale.seed)
    three_years = 3 * 365 * 86400
    for n in range(1, scale.users + 1):
        username = f"resident{n:07d}"
        yield (
            first_id + n - 1,
            hashed,
            False,
            username,
            "",
            "",
            False,
            True,
            NOW - timedelta(seconds=rng.randrange(three_years)),
            f"{username}@{EMAIL_DOMAIN}",
            person_name(rng),
            f"13{n:09d}",
            "en" if rng.random() < 0.05 else "zh-hans",
            # Sign-up order is unrelated to where people live, so scatter them.
            rng.choice(communities),
        )


def users(conn, scale):
    if has_rows(conn, "accounts_user", "username LIKE 'resident%'"):
        return 0
    communities = ids_of(conn, "SELECT id FROM regions_region WHERE level = 'community' ORDER BY path")
    if not communities:
        raise RuntimeError("users need the regions step first")
    rows = user_rows(scale, next_id(conn, "accounts_user"), communities, password_hash())
    count = copy_rows(conn, "accounts_user", USER_COLUMNS, rows)
    sync_sequence(conn, "accounts_user")
    return count


def emails(conn, scale):
    """allauth's verified primary address per resident: login needs it (mandatory verification)."""
    if has_rows(conn, "account_emailaddress"):
        return 0
    return conn.execute(
        """
        INSERT INTO account_emailaddress (email, verified, "primary", user_id)
        SELECT email, true, true, id FROM accounts_user WHERE username LIKE 'resident%' ORDER BY id
        """
    ).rowcount


def residences(conn, scale):
    """Each resident's verified residence in their home community, verified within two weeks of joining."""
    if has_rows(conn, "accounts_roleassignment", "role = 'resident'"):
        return 0
    return conn.execute(
        """
        INSERT INTO accounts_roleassignment (user_id, role, region_id, verified_at, created_at)
        SELECT id, 'resident', home_community_id,
               least(date_joined + (1 + id %% 14) * interval '1 day', %s), date_joined
        FROM accounts_user
        WHERE username LIKE 'resident%%' AND home_community_id IS NOT NULL
        ORDER BY id
        """,
        [NOW],
    ).rowcount


ORG_KIND_SHARES = [("ngo", 0.55), ("company", 0.30), ("foundation", 0.10), ("department", 0.05)]
USCC_PREFIX = {"ngo": ("51", "52"), "company": ("91",), "foundation": ("53",), "department": ("11",)}
ORG_COLUMNS = [
    "id",
    "kind",
    "name",
    "slug",
    "uscc",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "logo",
    "description",
    "verification_status",
    "verified_at",
    "verification_note",
    "created_at",
    "updated_at",
    "created_by_id",
    "region_id",
    "verified_name",
    "verified_name_en",
]


@dataclass
class OrgPlan:
    """One organisation and its links, kept together so the link tables follow from it."""

    pk: int
    kind: str
    name: str
    field: str
    region: int
    status: str
    created_at: datetime
    categories: list
    service_regions: list
    members: list  # user ids; the first administers the organisation

    def row(self, uscc, contact_name, phone, rng):
        verified_at = self.created_at + timedelta(days=rng.randrange(1, 30)) if self.status == "verified" else None
        return (
            self.pk,
            self.kind,
            self.name,
            f"org-{self.pk:06d}",
            uscc,
            contact_name,
            phone,
            f"contact{self.pk}@org.{EMAIL_DOMAIN}",
            "",
            "",
            f"{self.name}扎根社区,围绕{self.field}开展服务。",
            self.status,
            verified_at,
            "",
            self.created_at,
            self.created_at,
            self.admin,
            self.region,
            self.name if self.status == "verified" else "",  # the name staff verified is the one it bears
            "",
        )

    @property
    def admin(self):
        return self.members[0] if self.members else None

    def membership_rows(self):
        for user in self.members:
            yield (self.pk, user, "admin" if user == self.admin else "member", self.created_at)


def plan_organisations(scale, first_id, places, category_ids, member_pool):
    """(plan, organisation row) pairs; USCCs are valid and unique (the organisation code embeds the index)."""
    from portal.organisations.demo import organisation_code
    from portal.organisations.uscc import make_uscc

    rng = random.Random(scale.seed + 1)
    kinds, weights = zip(*ORG_KIND_SHARES, strict=True)
    pool = itertools.cycle(member_pool) if member_pool else iter(())
    communities = places["communities"]
    departments = 0
    for i in range(scale.organisations):
        kind = rng.choices(kinds, weights)[0]
        if i == scale.organisations - 1 and not departments:
            kind = "department"  # a small district may draw none, and the needs step dispatches to one
        departments += kind == "department"
        region = places["district"] if kind == "department" else rng.choice(places["streets"] + communities)
        field = rng.choice(ORG_FIELDS)
        extra = rng.sample(communities, k=min(rng.randrange(3), len(communities)))
        plan = OrgPlan(
            pk=first_id + i,
            kind=kind,
            name=f"{DISTRICT_NAME}{place_name(rng.randrange(10_000))}{field}{rng.choice(ORG_SUFFIXES[kind])}",
            field=field,
            region=region,
            status=rng.choices(["verified", "pending", "rejected"], [0.8, 0.15, 0.05])[0],
            created_at=NOW - timedelta(seconds=rng.randrange(2 * 365 * 86400)),
            categories=rng.sample(category_ids, k=min(1 + rng.randrange(3), len(category_ids))),
            service_regions=sorted({region, *extra}),
            members=list(dict.fromkeys(itertools.islice(pool, 1 + rng.randrange(9)))),
        )
        uscc = make_uscc(rng.choice(USCC_PREFIX[kind]) + DISTRICT_CODE + organisation_code(75_000_000 + i))
        phone = f"0411-8{i % 1000:03d}{rng.randrange(10_000):04d}"
        yield plan, plan.row(uscc, person_name(rng), phone, rng)


def organisation_places(conn):
    """Where organisations register: departments at the district, the others at a street or community."""
    district = conn.execute("SELECT id FROM regions_region WHERE depth = 1 ORDER BY path LIMIT 1").fetchone()
    if district is None:
        raise RuntimeError("organisations need the regions step first")
    level_ids = "SELECT id FROM regions_region WHERE level = %s ORDER BY path"
    return {
        "district": district[0],
        "streets": ids_of(conn, level_ids, ["street"]),
        "communities": ids_of(conn, level_ids, ["community"]),
    }


def member_pool(conn, scale, size):
    """Random residents (repeatable through setseed) to staff the organisations."""
    conn.execute("SELECT setseed(%s)", [(scale.seed % 1000) / 1000])
    query = "SELECT id FROM accounts_user WHERE username LIKE 'resident%%' ORDER BY random() LIMIT %s"
    return ids_of(conn, query, [size])


def organisations(conn, scale):
    """Organisations with their categories, service regions and members (the first one administers)."""
    if has_rows(conn, "organisations_organisation"):
        return 0
    places = organisation_places(conn)
    category_ids = ids_of(conn, "SELECT id FROM core_category ORDER BY slug")
    pool = member_pool(conn, scale, scale.organisations * 5)
    planned = list(plan_organisations(scale, next_id(conn, "organisations_organisation"), places, category_ids, pool))
    plans = [plan for plan, _row in planned]
    count = copy_rows(conn, "organisations_organisation", ORG_COLUMNS, (row for _plan, row in planned))
    sync_sequence(conn, "organisations_organisation")
    count += copy_rows(
        conn,
        "organisations_organisation_categories",
        ["organisation_id", "category_id"],
        ((p.pk, c) for p in plans for c in p.categories),
    )
    count += copy_rows(
        conn,
        "organisations_organisation_service_regions",
        ["organisation_id", "region_id"],
        ((p.pk, r) for p in plans for r in p.service_regions),
    )
    count += copy_rows(
        conn,
        "organisations_membership",
        ["organisation_id", "user_id", "role", "created_at"],
        (row for p in plans for row in p.membership_rows()),
    )
    return count


STOCK_PAGE_SLUG = "bench-stock-page"


def pages(conn, scale):
    """The portal's home page as site root (as the demo loads it) and one plain Wagtail page below it."""
    from django.db import transaction
    from wagtail.models import Page

    from portal.pages import demo

    with transaction.atomic():
        if Page.objects.filter(slug=STOCK_PAGE_SLUG).exists():
            return 0
        ctx = {}
        demo.load(ctx)
        stock = Page(title="Bench: a stock Wagtail page", slug=STOCK_PAGE_SLUG)
        ctx["home"].add_child(instance=stock)
        stock.save_revision().publish()
    return 2


# Later issues append their generators (needs, projects, …) here.
ESTATE_SUFFIXES = ["小区", "花园", "家园", "新村", "里", "北里", "苑", "园", "雅居"]
ROAD_SUFFIXES = ["路", "街", "大街", "北路", "南街"]
ARTERIALS = ["中山路", "长江路", "黄河路", "西安路", "友好路", "解放街", "东北路", "港湾街"]


def needs(conn, scale):
    """One need per resident over the past year (a million for a million residents), in one INSERT … SELECT.

    Titles and descriptions are bench/need_phrases.py's phrasings, drawn by weight (some words common,
    some rare, as in a hotline's log) with the need's own community, estate, road and building filled
    in, so that a search over them measures something. The category is the phrase's.
    Statuses, channels and deadlines follow roughly the demo's mix; about 2 % are overdue.
    Timelines are not generated: no benchmarked page reads them.
    """
    from bench import need_phrases

    if has_rows(conn, "needs_need"):
        return 0
    grid_rows = conn.execute(
        "SELECT g.id, c.name FROM regions_region g JOIN regions_region c ON c.path = left(g.path, -4)"
        " WHERE g.level = 'grid' ORDER BY g.path"
    ).fetchall()
    categories_ = dict(conn.execute("SELECT slug, id FROM core_category").fetchall())
    departments = ids_of(conn, "SELECT id FROM organisations_organisation WHERE kind = 'department' ORDER BY id")
    residents = conn.execute("SELECT min(id), max(id) FROM accounts_user WHERE username LIKE 'resident%%'").fetchone()
    if not (grid_rows and categories_ and departments):
        raise RuntimeError("needs need the regions, categories and organisations steps first")
    phrases = need_phrases.phrases()
    fallback = sorted(categories_.values())
    return conn.execute(
        """
        INSERT INTO needs_need (
            title, description, category_id, region_id, channel, status, submitted_by_id,
            contact_name, contact_phone, show_name_publicly, external_ref, department_id, answer,
            rating, rating_comment, reopened_count, created_at, accept_deadline, answer_deadline,
            accepted_at, dispatched_at, answered_at, closed_at, is_overdue, escalation_level, supporters_count
        )
        SELECT
            left(replace(replace(replace(replace(replace((%(titles)s::text[])[p.i],
                '{community}', w.community), '{estate}', w.estate), '{road}', w.road), '{road2}', w.road2),
                '{bldg}', w.bldg), 120),
            replace(replace(replace(replace(replace((%(descriptions)s::text[])[p.i],
                '{community}', w.community), '{estate}', w.estate), '{road}', w.road), '{road2}', w.road2),
                '{bldg}', w.bldg),
            (%(phrase_categories)s::bigint[])[p.i],
            r.region,
            (ARRAY['hotline','web','grid_patrol','wechat','service_window','council'])[1 + g %% 6],
            s.status,
            CASE WHEN g %% 3 = 0 THEN %(first_resident)s + g %% greatest(%(residents)s, 1) END,
            '', '139' || lpad((g %% 100000000)::text, 8, '0'), false, '',
            CASE WHEN s.status IN ('dispatched','answered','closed')
                 THEN (%(departments)s::bigint[])[1 + g %% cardinality(%(departments)s::bigint[])] END,
            CASE WHEN s.status IN ('answered','closed') THEN '已处理' ELSE '' END,
            CASE WHEN s.status = 'closed' THEN 3 + g %% 3 END, '', 0,
            t.created, t.created + interval '24 hours', t.created + interval '7 days',
            CASE WHEN s.status <> 'submitted' THEN t.created + interval '2 hours' END,
            CASE WHEN s.status IN ('dispatched','answered','closed') THEN t.created + interval '3 hours' END,
            CASE WHEN s.status IN ('answered','closed') THEN t.created + interval '3 days' END,
            CASE WHEN s.status = 'closed' THEN t.created + interval '4 days' END,
            (s.status = 'submitted' AND t.created < %(now)s - interval '24 hours')
              OR (s.status = 'dispatched' AND t.created < %(now)s - interval '7 days'),
            '', 1
        FROM generate_series(1::bigint, %(count)s::bigint) AS g
        CROSS JOIN LATERAL (SELECT %(now)s - (g %% 525600) * interval '1 minute' AS created) AS t
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN g %% 100 < 80 THEN 'closed' WHEN g %% 100 < 86 THEN 'dispatched'
                WHEN g %% 100 < 89 THEN 'answered' WHEN g %% 100 < 92 THEN 'merged'
                WHEN g %% 100 < 94 THEN 'rejected' WHEN g %% 100 < 97 THEN 'accepted' ELSE 'submitted'
            END AS status
        ) AS s
        -- The phrase: a slot of the weighted draw table, picked by a multiplicative hash of g.
        CROSS JOIN LATERAL (
            SELECT (%(draw)s::int[])[1 + ((g * 2654435761) %% 4294967296) * %(slots)s / 4294967296] AS i
        ) AS p
        CROSS JOIN LATERAL (
            SELECT 1 + (g * 7919) %% cardinality(%(grids)s::bigint[]) AS k
        ) AS gk
        CROSS JOIN LATERAL (
            SELECT (%(grids)s::bigint[])[gk.k] AS region, (%(places)s::text[])[gk.k] AS place
        ) AS r
        CROSS JOIN LATERAL (
            SELECT r.place || '社区' AS community,
                   r.place || (%(estates)s::text[])[1 + (g / 7) %% cardinality(%(estates)s::text[])] AS estate,
                   r.place || (%(roads)s::text[])[1 + (g / 5) %% cardinality(%(roads)s::text[])] AS road,
                   (%(arterials)s::text[])[1 + (g / 3) %% cardinality(%(arterials)s::text[])] AS road2,
                   (1 + (g / 11) %% 42)::text AS bldg
        ) AS w
        """,
        {
            "titles": [p.title for p in phrases],
            "descriptions": [p.description for p in phrases],
            "phrase_categories": [
                categories_.get(p.category, fallback[n % len(fallback)]) for n, p in enumerate(phrases)
            ],
            "draw": need_phrases.draw_table(phrases),
            "slots": need_phrases.SLOTS,
            "grids": [grid for grid, _community in grid_rows],
            "places": [community.removesuffix("社区") for _grid, community in grid_rows],
            "estates": ESTATE_SUFFIXES,
            "roads": ROAD_SUFFIXES,
            "arterials": ARTERIALS,
            "departments": departments,
            "first_resident": residents[0] or 0,
            "residents": (residents[1] or 0) - (residents[0] or 0) + 1,
            "count": scale.residents,
            "now": NOW,
        },
    ).rowcount


def bench_staff(conn, scale):
    """`benchstaff`: district staff with a second factor enrolled, for the logged-in pages (work queue)."""
    if has_rows(conn, "accounts_user", "username = 'benchstaff'"):
        return 0
    district = ids_of(conn, "SELECT id FROM regions_region WHERE depth = 1 ORDER BY path LIMIT 1")[0]
    user_id = conn.execute(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
            is_active, date_joined, display_name, phone, language)
        VALUES (%s, false, 'benchstaff', '', '', 'benchstaff@bench.local', false, true, %s,
                '区级工作人员', '', 'zh-hans')
        RETURNING id
        """,
        [password_hash(), NOW],
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO accounts_roleassignment (user_id, role, region_id, verified_at, created_at)"
        " VALUES (%s, 'district_staff', %s, %s, %s)",
        [user_id, district, NOW, NOW],
    )
    conn.execute(
        "INSERT INTO mfa_authenticator (user_id, type, data, created_at) VALUES (%s, 'totp', '{}', %s)",
        [user_id, NOW],
    )
    return 1


# --- CMS content: notices and project books -------------------------------------------

BENCH_NOTICES = 50  # the notice list shows 20 a page; the home page the latest 6
BENCH_BOOK_PROJECTS = 30  # in the current edition; the previous one has 20, 10 of them carried over
NOTICE_BODIES = {
    "notice": "通知",
    "announcement": "公告",
    "public_notice": "公示",
    "policy": "政策",
    "recruitment": "招募",
}
NOTICE_ISSUERS = [
    "西港区民政局",
    "西港区住房和城乡建设局",
    "西港区城市管理局",
    "西港区卫生健康局",
    "西港区人民政府办公室",
]
BOOK_NEEDS_PER_PROJECT = 5  # `merged` needs pointed at each book project, when the needs step has run


def cms(conn, scale):
    """Notices and project books under the home page, with the projects the books list.

    `portal.pages.demo.load_content` is not used: it needs the demo district (its named
    streets and communities, its editors, the projects its needs step merged). This
    builds a fixed-size tree instead: a notice list of BENCH_NOTICES notices (`scale.notices`: fewer
    in a district under 20,000 residents, such as the test's; two pinned,
    published a day apart over the past weeks), and a project book list with two
    editions, the current one of BENCH_BOOK_PROJECTS projects, the previous one of 20
    (so the book page also computes what changed since). If the needs step has run,
    BOOK_NEEDS_PER_PROJECT of its `merged` needs point at each project, for the book's
    need counts. Pages go through Wagtail's publish, as an editor's would.
    """
    from django.db import transaction

    from portal.pages.models import HomePage, NoticeIndexPage

    with transaction.atomic():
        if NoticeIndexPage.objects.exists():
            return 0
        home = HomePage.objects.first()
        if home is None:
            raise RuntimeError("cms needs the pages step first")
        district = _regions_at("district")[0]
        projects = _book_projects(scale, district)
        count = len(projects) + _merge_needs(projects)
        count += _notice_pages(scale, home, _regions_at("street"))
        count += _book_pages(home, district, projects)
    return count


def _regions_at(level):
    from portal.regions.models import Region

    return list(Region.objects.filter(level=level).order_by("path")[:50])


def _publish(parent, page, published_at):
    from wagtail.models import Page

    parent.add_child(instance=page)
    page.save_revision().publish()
    Page.objects.filter(pk=page.pk).update(first_published_at=published_at, last_published_at=published_at)
    return page


def _notice_pages(scale, home, streets):
    from portal.pages.models import NoticeCategory, NoticeIndexPage, NoticePage

    rng = random.Random(scale.seed + 2)
    index = _publish(
        home,
        NoticeIndexPage(
            title="通知公告", slug="notices", intro="西港区及各街道发布的通知、公告、公示、政策和招募信息。"
        ),
        NOW - timedelta(days=120),
    )
    categories_ = list(NoticeCategory.values)
    for n in range(scale.notices):
        category = categories_[n % len(categories_)]
        street = rng.choice(streets) if n % 3 else None
        where = street.name if street else DISTRICT_NAME
        field = rng.choice(ORG_FIELDS)
        title = f"关于{where}{field}工作的{NOTICE_BODIES[category]}（第{n + 1}号）"
        paragraphs = [
            f"各街道、社区，各有关单位：为做好{where}{field}工作，现将有关事项{NOTICE_BODIES[category]}如下。",
            *(
                f"{i}、{field}服务的对象、时间和地点以各社区公布为准，居民可通过共治平台提交意见和诉求，"
                f"办理结果在平台公开。联系人：{person_name(rng)}，电话0411-8{rng.randrange(10**6):06d}。"
                for i in "一二三四"
            ),
        ]
        notice = NoticePage(
            title=title,
            slug=f"notice-{n + 1:03d}",
            category=category,
            issuing_body=rng.choice(NOTICE_ISSUERS),
            region=street,
            pinned=n in (3, 17),
            summary=f"{where}{field}工作安排，请相关单位和居民知悉。",
            body="".join(f"<p>{p}</p>" for p in paragraphs),
        )
        _publish(index, notice, NOW - timedelta(days=n, hours=rng.randrange(8)))
    return 1 + scale.notices


def _book_projects(scale, district):
    """Projects 0–19 are the previous edition's, 10–39 the current one's; the early ones are funded."""
    from marketplace.projects.models import Project, ProjectStatus
    from portal.core.models import Category

    rng = random.Random(scale.seed + 3)
    categories_ = list(Category.objects.order_by("slug"))
    communities = _regions_at("community")
    projects = []
    for n in range(BENCH_BOOK_PROJECTS + 10):
        category = categories_[n % len(categories_)]
        community = rng.choice(communities)
        budget = rng.randrange(20, 300) * 1000 * 100  # fen
        status = ProjectStatus.FUNDED if n < 8 else ProjectStatus.IN_PROGRESS if n < 12 else ProjectStatus.PUBLISHED
        raised = budget if n < 12 else budget * rng.randrange(0, 90) // 100 // 10000 * 10000
        projects.append(
            Project(
                title=f"{community.name}{category.name}项目",
                summary=f"{community.name}居民反映的{category.name}诉求合并而成，由社会组织承接，接受企业和爱心人士资助。",
                category=category,
                region=community,
                status=status,
                budget=budget,
                amount_raised=raised,
                beneficiaries="社区居民",
                beneficiary_count=rng.randrange(50, 2000),
                funded_at=NOW - timedelta(days=rng.randrange(1, 60)) if n < 12 else None,
            )
        )
    return Project.objects.bulk_create(projects)  # no post_save: nothing is cached yet


def _merge_needs(projects):
    from marketplace.needs.models import Need

    merged = Need.objects.filter(status="merged", project__isnull=True).order_by("pk")
    ids = list(merged.values_list("pk", flat=True)[: len(projects) * BOOK_NEEDS_PER_PROJECT])
    for i, project in enumerate(projects):
        chunk = ids[i * BOOK_NEEDS_PER_PROJECT : (i + 1) * BOOK_NEEDS_PER_PROJECT]
        Need.objects.filter(pk__in=chunk).update(project=project)
    return len(ids)


def _book_pages(home, district, projects):
    from portal.pages.models import ProjectBookEntry, ProjectBookIndexPage, ProjectBookPage

    index = _publish(
        home,
        ProjectBookIndexPage(
            title="社会项目推介书", slug="project-books", intro="居民诉求合并成的社会项目，按期编成推介书。"
        ),
        NOW - timedelta(days=120),
    )
    editions = [("2026年第2期", "2026-2", 90, projects[:20]), ("2026年第3期", "2026-3", 8, projects[10:])]
    for edition, slug, days_ago, chosen in editions:
        book = ProjectBookPage(
            title=f"社会项目推介书（{edition}）",
            slug=slug,
            edition=edition,
            edition_date=(NOW - timedelta(days=days_ago)).date(),
            scope_region=district,
            introduction="<p>本期推介的项目都由居民诉求合并而成，经居民议事会讨论、街道审核后发布。</p>"
            "<p>欢迎企业、基金会、社会组织和爱心人士认领资助或承接实施。</p>",
            entries=[ProjectBookEntry(project=p, note="", sort_order=i) for i, p in enumerate(chosen)],
        )
        _publish(index, book, NOW - timedelta(days=days_ago))
    return 1 + len(editions)


# --- The marketplace at scale: projects, gifts and the ledger -------------------------

PROJECT_THEMES = [
    ("老旧小区加装电梯协调", "为没有电梯的多层住宅楼协调加装电梯，征求全体住户意见并组织施工。"),
    ("独居老人助餐点", "在社区服务站开设助餐点，为八十岁以上独居老人每日提供午餐并送餐上门。"),
    ("四点半课堂", "放学后为双职工家庭的孩子提供作业辅导和阅读陪伴，由大学生志愿者和社工带领。"),
    ("垃圾分类督导", "在小区投放点安排督导员，配合宣传和积分兑换，提高分类准确率。"),
    ("口袋公园改造", "把楼间闲置空地改造成有座椅、绿植和健身器材的小公园。"),
    ("无障碍坡道修建", "为单元入口加装坡道和扶手，方便轮椅和推车出行。"),
    ("社区心理健康讲座", "请专业心理咨询师为居民开展系列讲座和一对一咨询。"),
    ("楼道照明更新", "更换老化的楼道灯为声控节能灯，消除夜间出行隐患。"),
    ("残疾人就业技能培训", "为辖区残疾人提供电商客服、手工编织等技能培训并对接就业岗位。"),
    ("社区议事厅建设", "改造社区活动室为议事厅，配备座椅、投影和录音设备，供居民议事使用。"),
    ("电动自行车充电棚", "建设集中充电棚，减少飞线充电和楼道停放带来的火灾风险。"),
    ("邻里互助时间银行", "居民互相帮助累计服务时长，可兑换他人的帮助或社区服务。"),
]
PROJECT_MIX = [  # (status, share in per mille)
    ("published", 380),
    ("funded", 150),
    ("in_progress", 170),
    ("completed", 150),
    ("evaluated", 100),
    ("withdrawn", 30),
    ("draft", 20),
]
GIFTS_PER_PROJECT = 11  # gifts per project before the target caps them: 100,000 projects make a million ledger rows


def _status_for(n):
    slot = n % 1000
    for status, share in PROJECT_MIX:
        if slot < share:
            return status
        slot -= share
    return PROJECT_MIX[0][0]


def market_projects(conn, scale):
    """`scale.projects` projects over the communities, in every status, with targets and deadlines.

    Titles pair a community with one of PROJECT_THEMES and a number, so each is its own.
    `amount_raised` is left at 0 here: `market_ledger` sets it from the ledger it writes.
    `need_count` (0–8) spreads the "most needed" order without writing the needs it counts.
    """
    if has_rows(conn, "projects_project", "title LIKE '%%（第%%'"):
        return 0
    communities = conn.execute("SELECT id, name FROM regions_region WHERE level = 'community' ORDER BY path").fetchall()
    categories_ = ids_of(conn, "SELECT id FROM core_category ORDER BY id")
    if not (communities and categories_):
        raise RuntimeError("market_projects needs the regions and categories steps first")
    rng = random.Random(scale.seed + 11)
    first = next_id(conn, "projects_project")

    def rows():
        for n in range(scale.projects):
            region_id, place = communities[(n * 7919) % len(communities)]
            theme, summary = PROJECT_THEMES[n % len(PROJECT_THEMES)]
            status = _status_for(n)
            target = rng.randrange(20, 400) * 1000 * 100
            created = NOW - timedelta(minutes=(n * 37) % 525_600)
            published = created + timedelta(days=2) if status not in ("draft",) else None
            deadline = created + timedelta(days=rng.randrange(20, 120)) if status != "draft" else None
            running = status in ("funded", "in_progress", "completed", "evaluated")
            funded = published + timedelta(days=15) if running else None
            completed = funded + timedelta(days=60) if status in ("completed", "evaluated") else None
            yield (
                first + n,
                f"{place}社区{theme}（第{n // len(PROJECT_THEMES) + 1}期）",
                summary,
                f"{summary}项目由{place}社区居民诉求合并而成，预算公开，进展和账目在本页持续更新。",
                categories_[n % len(categories_)],
                region_id,
                status,
                target,
                target,
                deadline,
                True,
                n % 4 == 0,
                n % 5 == 0,
                n % 3 == 0,
                0,
                (n * 13) % 9,
                "社区居民",
                rng.randrange(30, 3000),
                published,
                funded,
                completed,
                created,
                created,
            )

    columns = [
        "id", "title", "summary", "description", "category_id", "region_id", "status", "budget", "target",
        "funding_deadline", "wants_funds", "wants_implementer", "wants_in_kind", "wants_volunteers",
        "amount_raised", "need_count", "beneficiaries", "beneficiary_count", "published_at", "funded_at",
        "completed_at", "created_at", "updated_at",
    ]  # fmt: skip
    count = copy_rows(conn, "projects_project", columns, rows())
    sync_sequence(conn, "projects_project")
    # The `cms` step merged needs into its book projects: count them as merge_needs does.
    conn.execute(
        """
        UPDATE projects_project p SET need_count = s.n
        FROM (SELECT project_id, count(*) AS n FROM needs_need WHERE project_id IS NOT NULL GROUP BY project_id) s
        WHERE s.project_id = p.id
        """
    )
    return count


def market_ledger(conn, scale):
    """About GIFTS_PER_PROJECT confirmed gifts per non-draft project, each a payment and a ledger row,
    1 % of them refunded (a second, negative row); the hash chain computed as the app computes it.

    Then each project's `amount_raised` is set to its ledger sum and the chain head to the last entry,
    and `verify_ledger`'s invariant (numbers without gaps, each row naming the hash before) holds.
    """
    from marketplace.funding import chain
    from marketplace.funding.models import GENESIS_HASH, LedgerEntry

    if has_rows(conn, "funding_ledgerentry"):
        return 0
    projects = conn.execute(
        "SELECT id, target, published_at FROM projects_project WHERE status NOT IN ('draft') ORDER BY id"
    ).fetchall()
    donors = conn.execute("SELECT min(id), max(id) FROM accounts_user WHERE username LIKE 'resident%%'").fetchone()
    if not projects or donors[0] is None:
        raise RuntimeError("market_ledger needs the users and market_projects steps first")
    rng = random.Random(scale.seed + 12)
    first_payment = next_id(conn, "funding_payment")
    gifts = []  # (payment id, project id, donor, amount, at, refunded)
    payment_id = first_payment
    for project_id, target, published in projects:
        count = rng.randrange(GIFTS_PER_PROJECT // 2, GIFTS_PER_PROJECT * 3 // 2 + 1)
        share = max(100, target // (count * 2))
        raised = 0
        for k in range(count):
            amount = min(rng.randrange(1, 4) * share // 100 * 100 or 100, target - raised)
            if amount <= 0:
                break  # never past the target: the overshoot rule holds here too
            raised += amount
            gifts.append((payment_id, project_id, rng.randint(*donors), amount, published + timedelta(hours=k * 5 + 1)))
            payment_id += 1
    gifts.sort(key=lambda g: (g[4], g[0]))  # the ledger's order is the order money arrived

    def payments():
        for pid, project_id, donor, amount, at in gifts:
            refunded = pid % 100 == 0
            offline = pid % 3 == 0
            # Offline refunds are handed back by the office later: half of them have been, the others
            # are still owed (the staff's "to return" list). Stripe gives its refunds back itself.
            returned = refunded and offline and pid % 200 == 0
            yield (
                pid, donor, project_id, amount, "offline" if offline else "stripe",
                "refunded" if refunded else "confirmed", 0 if refunded else amount, amount if refunded else 0,
                f"BANK-{pid:08d}" if offline else "", at.date() if offline else None,
                None if offline else f"pi_bench{pid:014d}", pid % 4 != 0, at - timedelta(minutes=10), at,
                at + timedelta(days=3) if refunded else None,
                amount if returned else 0, at + timedelta(days=5) if returned else None,
                f"现金退回 签收单 {pid:08d}" if returned else "",
                "",
            )  # fmt: skip

    copy_rows(
        conn,
        "funding_payment",
        [
            "id", "donor_id", "project_id", "amount", "provider", "status", "accepted_amount",
            "refunded_amount", "reference", "received_on", "stripe_payment_intent_id", "public_name",
            "created_at", "confirmed_at", "refunded_at", "returned_amount", "returned_at", "returned_reference",
            "failure_reason",
        ],
        payments(),
    )  # fmt: skip
    sync_sequence(conn, "funding_payment")
    movements = []
    for pid, project_id, _donor, amount, at in gifts:
        movements.append((at, pid, project_id, "gift", amount))
        if pid % 100 == 0:
            movements.append((at + timedelta(days=3), pid, project_id, "refund", -amount))
    movements.sort(key=lambda m: (m[0], m[1], m[3] == "refund"))
    first_id = next_id(conn, "funding_ledgerentry")
    head = {"hash": GENESIS_HASH, "sequence": 0}

    def entries():
        entry = LedgerEntry()
        for n, (at, pid, project_id, kind, amount) in enumerate(movements, start=1):
            entry.sequence, entry.previous_hash = n, head["hash"]
            entry.project_id, entry.payment_id, entry.kind, entry.amount, entry.created_at = (
                project_id, pid, kind, amount, at,
            )  # fmt: skip
            entry.salt = chain.new_salt()
            entry.commitment = entry.compute_commitment()
            digest = entry.compute_hash()
            yield (
                first_id + n - 1, n, project_id, pid, kind, amount, "", None, at, head["hash"], digest,
                entry.salt, entry.commitment,
            )  # fmt: skip
            head["hash"], head["sequence"] = digest, n

    count = copy_rows(
        conn,
        "funding_ledgerentry",
        ["id", "sequence", "project_id", "payment_id", "kind", "amount", "note", "stripe_refund_id",
         "created_at", "previous_hash", "hash", "salt", "commitment"],
        entries(),
    )  # fmt: skip
    sync_sequence(conn, "funding_ledgerentry")
    conn.execute(
        """
        UPDATE projects_project p SET amount_raised = s.total
        FROM (SELECT project_id, sum(amount) AS total FROM funding_ledgerentry GROUP BY project_id) s
        WHERE s.project_id = p.id
        """
    )
    conn.execute(
        "INSERT INTO funding_chainhead (id, sequence, hash) VALUES (1, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET sequence = EXCLUDED.sequence, hash = EXCLUDED.hash",
        [head["sequence"], head["hash"]],
    )
    return count + len(gifts)


# --- Deliberation: councils, topics with supports, meetings with agendas -------------

TOPIC_THEMES = [
    ("小区停车位重新划线", "夜间车位紧张，消防通道常被占用，建议重新划线并设置临时停车区。"),
    ("楼顶太阳能热水器拆除", "部分楼顶热水器年久失修，大风天气有坠落风险，请议事会讨论统一拆除和补偿办法。"),
    ("广场舞噪音时段", "晚间广场舞音量较大，影响临街住户休息，建议商定活动时段和音量。"),
    ("快递柜摆放位置", "快递柜占用消防通道，建议迁至物业用房旁边。"),
    ("公共绿地改种菜地", "有居民在公共绿地种菜，是否允许、如何管理，请大家讨论。"),
    ("电梯维修基金使用", "电梯频繁故障，维修基金如何动用需业主共同决定。"),
    ("宠物管理公约", "遛狗不牵绳、不清理粪便的问题反复出现，建议制定小区宠物公约。"),
    ("老年活动室开放时间", "活动室下午五点关门，上班族老人家属希望延长到晚上八点。"),
]
TOPICS_PER_COUNCIL = 40
MEETINGS_PER_COUNCIL = 8
MEETING_KINDS = ["listening", "coordination", "hearing", "evaluation", "assembly"]


def deliberation(conn, scale):
    """One council per community and per street, TOPICS_PER_COUNCIL topics each with supports from
    the community's residents, and MEETINGS_PER_COUNCIL meetings (past and coming) with agendas.

    Through the ORM's bulk_create (a few hundred thousand rows at a million residents): the
    models' defaults and choices stay the app's own.
    """
    from deliberation.councils.models import Council
    from deliberation.meetings.models import AgendaItem, Meeting
    from deliberation.topics.models import Support, Topic
    from portal.regions.models import Region

    if Council.objects.filter(slug__startswith="bench-").exists():
        return 0
    rng = random.Random(scale.seed + 21)
    regions = list(Region.objects.filter(level__in=["street", "community"]).order_by("path"))
    councils = Council.objects.bulk_create(
        Council(
            name=f"{region.name}居民议事会",
            slug=f"bench-{region.code.lower()}",
            level=region.level,
            region=region,
            description=f"{region.name}的居民议事会，每月第一个周六开会。",
            support_threshold=10,
        )
        for region in regions
    )
    residents = defaultdict(list)
    for user_id, region_id in conn.execute(
        "SELECT user_id, region_id FROM accounts_roleassignment WHERE role = 'resident' ORDER BY id"
    ):
        residents[region_id].append(user_id)
    categories_ = ids_of(conn, "SELECT id FROM core_category ORDER BY id")
    statuses = ["collecting", "collecting", "queued", "scheduled", "decided", "rejected"]
    topics = []
    for council in councils:
        for n in range(TOPICS_PER_COUNCIL):
            theme, body = TOPIC_THEMES[n % len(TOPIC_THEMES)]
            status = statuses[n % len(statuses)]
            topics.append(
                Topic(
                    council=council,
                    title=f"{council.region.name}{theme}（{n // len(TOPIC_THEMES) + 1}）",
                    body=body,
                    category_id=categories_[n % len(categories_)],
                    region=council.region,
                    status=status,
                    decision_reason="与已有议题重复，已转物业处理。" if status == "rejected" else "",
                )
            )
    topics = Topic.objects.bulk_create(topics, batch_size=2000)
    supports = []
    for topic in topics:
        pool = residents.get(topic.region_id) or []
        chosen = rng.sample(pool, min(len(pool), rng.randrange(0, 25)))
        topic.support_count = len(chosen)
        supports.extend(Support(topic=topic, user_id=user_id) for user_id in chosen)
    Support.objects.bulk_create(supports, batch_size=5000)
    Topic.objects.bulk_update(topics, ["support_count"], batch_size=2000)
    meetings, items = [], []
    for council in councils:
        for n in range(MEETINGS_PER_COUNCIL):
            starts = NOW + timedelta(days=(n - MEETINGS_PER_COUNCIL // 2) * 14, hours=9)
            past = starts < NOW
            meetings.append(
                Meeting(
                    council=council,
                    kind=MEETING_KINDS[n % len(MEETING_KINDS)],
                    title=f"{council.region.name}{starts:%m}月{'居民议事' if n % 2 else '民情恳谈'}会",
                    description="议题征集结果通报，讨论本月议程。",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    place=f"{council.region.name}党群服务中心二楼",
                    capacity=40,
                    status="minutes_published" if past else "announced",
                    announced_at=starts - timedelta(days=10),
                )
            )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=2000)
    by_council = defaultdict(list)
    for topic in topics:
        if topic.status in ("scheduled", "decided"):
            by_council[topic.council_id].append(topic)
    for meeting in meetings:
        for order, topic in enumerate(by_council[meeting.council_id][:3], start=1):
            items.append(AgendaItem(meeting=meeting, order=order, title=topic.title, topic=topic))
    AgendaItem.objects.bulk_create(items, batch_size=5000)
    return len(councils) + len(topics) + len(supports) + len(meetings) + len(items)


CALL_DECLARATIONS = 5_000  # per call at a million residents: the review board and results of a large annual call
CALL_RUBRIC = [("必要性", "Necessity", 30), ("可行性", "Feasibility", 25), ("受益人数", "Beneficiaries", 20),
               ("预算合理性", "Budget", 15), ("机构能力", "Capacity", 10)]  # fmt: skip


def funding_calls(conn, scale):
    """Two district calls of CALL_DECLARATIONS declarations each, every one scored by a panel of three:
    `bench-review` in review (the staff's review board) and `bench-notice` with its ranked awards in public
    notice (the call's results). Through the ORM's bulk_create, as `deliberation`, in one transaction: a step
    that stopped half-way starts again rather than being skipped."""
    from django.db import transaction

    with transaction.atomic():
        return _funding_calls(conn, scale)


def _funding_calls(conn, scale):
    from marketplace.calls.models import (
        Award,
        Declaration,
        FundingCall,
        MatchingRule,
        PanelMember,
        ReviewAssignment,
        RubricCriterion,
    )

    if FundingCall.objects.filter(slug="bench-review").exists():
        return 0
    rng = random.Random(scale.seed + 31)
    district = ids_of(conn, "SELECT id FROM regions_region WHERE depth = 1 ORDER BY path LIMIT 1")[0]
    ngos = conn.execute(
        "SELECT o.id, m.user_id, o.name FROM organisations_organisation o"
        " JOIN organisations_membership m ON m.organisation_id = o.id"
        " WHERE o.kind = 'ngo' ORDER BY o.id, m.id"
    ).fetchall()
    count = min(CALL_DECLARATIONS, max(scale.residents // 200, 20))  # 5,000 from a million residents
    ngos = list({org: (org, user, name) for org, user, name in reversed(ngos)}.values())[:count]
    reviewers = ids_of(
        conn, "SELECT user_id FROM accounts_roleassignment WHERE role = 'resident' ORDER BY id LIMIT 3 OFFSET 100"
    )
    if not ngos or len(reviewers) < 3:
        raise RuntimeError("funding_calls needs the organisations and residences steps first")
    written = 0
    for slug, status, year in (("bench-review", "review", 2027), ("bench-notice", "notice", 2026)):
        call = FundingCall.objects.create(
            title=f"{year}年度西港区社区公益创投",
            slug=slug,
            year=year,
            summary="扶持社会组织在社区开展为老、助残、儿童和环境服务，按预算比例给予资助。",
            region_id=district,
            pool=2_000_000_000,
            opens_at=NOW - timedelta(days=90),
            closes_at=NOW - timedelta(days=30),
            status=status,
            published_at=NOW - timedelta(days=90),
            notice_ends_at=NOW + timedelta(days=5) if status == "notice" else None,
        )
        RubricCriterion.objects.bulk_create(
            RubricCriterion(call=call, name=name, name_en=name_en, weight=weight, sort_order=i)
            for i, (name, name_en, weight) in enumerate(CALL_RUBRIC)
        )
        MatchingRule.objects.bulk_create(
            [
                MatchingRule(call=call, budget_below=10_000_000, share_percent=80, cap=6_000_000, sort_order=0),
                MatchingRule(call=call, budget_from=10_000_000, share_percent=60, cap=15_000_000, sort_order=1),
            ]
        )
        kinds = ["officer", "resident", "expert"]
        PanelMember.objects.bulk_create(
            PanelMember(call=call, reviewer_id=user, kind=kind) for user, kind in zip(reviewers, kinds, strict=True)
        )
        declarations = Declaration.objects.bulk_create(
            (
                Declaration(
                    call=call,
                    organisation_id=ngos[n % len(ngos)][0],
                    created_by_id=ngos[n % len(ngos)][1],
                    title=f"{ngos[n % len(ngos)][2][:40]}：{PROJECT_THEMES[n % len(PROJECT_THEMES)][0]}（{n + 1}）",
                    problem=PROJECT_THEMES[n % len(PROJECT_THEMES)][1],
                    target_group="社区居民",
                    beneficiaries=rng.randrange(30, 2000),
                    activities="入户走访、集中服务和志愿者培训，每月向社区通报进展。",
                    timeline="3月筹备，4月至11月实施，12月结项。",
                    team="项目主管1名，社工2名，志愿者若干。",
                    status="submitted",
                    submitted_at=NOW - timedelta(days=31, minutes=n),
                )
                for n in range(count)
            ),
            batch_size=2000,
        )
        totals = {}
        reviews = []
        for declaration in declarations:
            scores = [rng.randrange(55, 95) for _ in kinds]
            totals[declaration.pk] = sum(scores) / len(scores)
            reviews.extend(
                ReviewAssignment(
                    declaration=declaration,
                    reviewer_id=user,
                    kind=kind,
                    status="submitted" if (status == "notice" or rng.random() < 0.7) else "assigned",
                    total=score,
                    submitted_at=NOW - timedelta(days=10),
                )
                for user, kind, score in zip(reviewers, kinds, scores, strict=True)
            )
        for review in reviews:
            if review.status == "assigned":
                review.total = review.submitted_at = None
        ReviewAssignment.objects.bulk_create(reviews, batch_size=5000)
        written += len(declarations) + len(reviews)
        if status == "notice":
            ranked = sorted(declarations, key=lambda d: -totals[d.pk])
            left = call.pool
            awards = []
            for rank, declaration in enumerate(ranked, start=1):
                grant = rng.randrange(20, 60) * 1000 * 100
                amount = min(left, grant)
                left -= amount
                awards.append(
                    Award(
                        call=call,
                        declaration=declaration,
                        rank=rank,
                        score=round(totals[declaration.pk], 2),
                        reviewers=3,
                        matched_share=80,
                        computed=amount,  # what the ranking grants (an amount unlike it needs an override reason)
                        amount=amount,
                        note="in_full" if amount == grant else "partial" if amount else "spent",
                    )
                )
            written += len(Award.objects.bulk_create(awards, batch_size=5000))
    return written


# --- The search index -------------------------------------------------------------------

SEARCH_BATCH = 2000  # manage.py search_reindex's default
SEARCH_JOBS = 2  # `search_reindex --jobs 2`: a process a core
PROGRESS_SECONDS = 15  # at most one progress line per type this often (and at its end)


def search_index(conn, scale):
    """Every registered type indexed by the search layer's own reindex (search.indexing: what
    `manage.py search_reindex` runs, through Django with bench.bench_settings, so the database backend's
    upserts and its GIN index are what is timed), with a progress line per type every PROGRESS_SECONDS.

    Left alone when the index already holds an entry for every public need; a run stopped half-way
    simply runs again (reindex is idempotent: batches it wrote are rewritten in place). With
    --force-search-index the entries are emptied first, so the run is an index built from scratch.
    Everything goes through Django's connection: `conn` holds this step's transaction open, and a lock
    it took on the entries would block the TRUNCATE.
    """
    from django.db import connection

    from marketplace.needs.models import Need
    from search.indexing import reindex
    from search.models import SearchEntry

    public = Need.objects.public().count()
    if public and not scale.force_search_index and SearchEntry.objects.filter(doc_type="need").count() >= public:
        return 0
    if scale.force_search_index:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SearchEntry._meta.db_table}")
    started = time.perf_counter()
    clock = {"type": None, "began": started, "last": started, "printed": 0.0}

    def progress(name, done, total):
        now = time.perf_counter()
        if name != clock["type"]:  # a type starts where the one before ended (its count query included)
            clock.update(type=name, began=clock["last"], printed=clock["last"])
        clock["last"] = now
        if done < total and now - clock["printed"] < PROGRESS_SECONDS:
            return
        clock["printed"] = now
        rate = done / max(now - clock["began"], 1e-6)
        share = done * 100 // max(total, 1)
        print(
            f"    {name:<12} {done:>11,}/{total:,} {share:>3}% {now - started:>7.1f} s {rate:>9,.0f} records/s",
            flush=True,
        )

    return reindex(None, batch=SEARCH_BATCH, progress=progress, jobs=SEARCH_JOBS)


STEPS = [
    categories, regions, users, emails, residences, organisations, pages, needs, bench_staff, cms,
    market_projects, market_ledger, deliberation, funding_calls, search_index,
]  # fmt: skip


# --- Running ------------------------------------------------------------------------


def admin_conninfo(database_url):
    """The same server, but the maintenance database, for CREATE/DROP DATABASE."""
    params = psycopg.conninfo.conninfo_to_dict(database_url)
    dbname = params.pop("dbname")
    return psycopg.conninfo.make_conninfo(**{**params, "dbname": "postgres"}), dbname


def ensure_database(database_url, reset, from_template=False):
    """Create the database if missing (drop it first with `reset`); True if it came migrated from the template."""
    conninfo, dbname = admin_conninfo(database_url)
    with psycopg.connect(conninfo, autocommit=True) as admin:
        if reset:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        if database_exists(admin, dbname):
            return False
        if from_template:
            with machine_lock("bench-template"):
                template = migrated_template(admin, database_url)
                admin.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(dbname), sql.Identifier(template))
                )
            print(f"created database {dbname} from {template}")
            return True
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
        print(f"created database {dbname}")
        return False


def database_exists(admin, dbname):
    return admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone() is not None


TEMPLATE_PREFIX = "gongzhi_bench_tmpl_"


def migrations_key():
    """A hash of what the migrated database depends on: every migration file, and the pinned
    requirements (which fix the third-party apps' migrations)."""
    digest = hashlib.sha256()
    for top in sorted(ROOT.iterdir()):
        if not top.is_dir() or top.name.startswith(".") or top.name in ("node_modules", "var"):
            continue
        for path in sorted(top.rglob("migrations/*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    digest.update((ROOT / "requirements.txt").read_bytes())
    return digest.hexdigest()[:16]


def migrated_template(admin, database_url):
    """The name of an empty, migrated database for this set of migrations, built if missing.

    Built under a temporary name and renamed once migrated (a run killed half-way leaves no
    half-migrated template); templates of other sets of migrations are dropped then. The
    caller holds the machine lock.
    """
    template = TEMPLATE_PREFIX + migrations_key()
    if database_exists(admin, template):
        return template
    building = f"{template}_{os.getpid()}"
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(building)))
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
    started = time.perf_counter()
    migrate(database_url_for(database_url, building))
    print(f"  built {template} ({time.perf_counter() - started:.1f} s of migrations)")
    stale = ids_of(admin, "SELECT datname FROM pg_database WHERE datname ~ %s", [f"^{TEMPLATE_PREFIX}[0-9a-f]{{16}}$"])
    for name in stale:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    admin.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(template)))
    return template


def database_url_for(database_url, dbname):
    return urlsplit(database_url)._replace(path=f"/{dbname}").geturl()


@contextmanager
def machine_lock(name):
    """One process at a time on this machine (concurrent test runs building the same template)."""
    with open(Path(os.environ.get("TMPDIR", "/tmp")) / f"gongzhi-{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(database_url):
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        check=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": SETTINGS},
    )


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def select_steps(only, skip):
    names = {step.__name__: step for step in STEPS}
    unknown = (set(only or []) | set(skip or [])) - names.keys()
    if unknown:
        raise SystemExit(f"unknown step(s): {', '.join(sorted(unknown))}; steps are {', '.join(names)}")
    return [s for s in STEPS if (not only or s.__name__ in only) and s.__name__ not in (skip or [])]


def run_step(conn, step, scale):
    started = time.perf_counter()
    with conn.transaction():
        rows = step(conn, scale)
    elapsed = time.perf_counter() - started
    if rows == 0:
        print(f"  {step.__name__:<14} already present, left alone ({elapsed:.1f} s); --reset to regenerate")
    else:
        print(f"  {step.__name__:<14} {rows:>11,} rows {elapsed:>7.1f} s {rows / elapsed:>11,.0f} rows/s")


def analyze(conn):
    started = time.perf_counter()
    # VACUUM too: it sets the visibility map, as autovacuum would have on a live database.
    conn.execute("VACUUM (ANALYZE)")
    print(f"  {'vacuum+analyze':<14} {'':>16} {time.perf_counter() - started:>7.1f} s")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=20_000, help="people living in the district")
    parser.add_argument(
        "--resident-fraction", type=float, default=1.0, help="share of residents with an account (default all)"
    )
    parser.add_argument("--organisations", type=int, default=None, help="default: one per 300 residents")
    parser.add_argument("--projects", type=int, default=None, help="default: one per ten residents")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--reset", action="store_true", help="drop and recreate the database first")
    parser.add_argument(
        "--from-template",
        action="store_true",
        help=f"create a missing database as a copy of an empty migrated one ({TEMPLATE_PREFIX}<hash of the "
        "migrations>, built on first use) instead of migrating it: saves a minute or two after the first run",
    )
    parser.add_argument(
        "--force-search-index",
        action="store_true",
        help="run search_index even when the index holds every public need, emptying the index first (from scratch)",
    )
    parser.add_argument("--only", type=lambda s: s.split(","), help="comma-separated steps to run")
    parser.add_argument("--skip", type=lambda s: s.split(","), help="comma-separated steps to leave out")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    scale = Scale(
        args.residents, args.resident_fraction, args.organisations, args.seed, args.projects, args.force_search_index
    )
    steps = select_steps(args.only, args.skip)
    print(f"scale: {scale.describe()}")
    started = time.perf_counter()
    migrated = ensure_database(args.database_url, args.reset, args.from_template)
    setup_django(args.database_url)
    if not migrated:
        migrate(args.database_url)
    print(f"  {'migrate':<14} {'':>16} {time.perf_counter() - started:>7.1f} s")
    with psycopg.connect(args.database_url, autocommit=True) as conn:
        # Bulk-load settings for this session only; a crash loses nothing we cannot regenerate.
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '256MB'")
        for step in steps:
            run_step(conn, step, scale)
        analyze(conn)
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()

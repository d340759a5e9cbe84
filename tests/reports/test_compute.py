import json
import random
from datetime import timedelta

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.needs.models import NeedStatus as S
from marketplace.reports.compute import compute_report, day_bounds, top_words
from tests.factories import NeedFactory, category

pytestmark = pytest.mark.django_db


def rate(num, den, value):
    return {"num": num, "den": den, "rate": value}


@pytest.fixture
def data(world):
    return compute_report(world.day, now=world.now)


def test_periods_are_the_local_day_and_thirty_days(world, data):
    assert data["date"] == world.day.isoformat()
    assert data["day"] == {"start": world.d0, "end": world.at(1)}
    assert data["window"] == {"start": world.at(-29), "end": world.at(1), "days": 30}
    assert str(data["day"]["start"].utcoffset()) == "8:00:00"  # Asia/Shanghai midnight


def test_a_report_for_today_stops_at_now(world):
    now = world.at(0, 12)
    assert day_bounds(world.day, now) == (world.d0, now)


def test_new_closed_and_overdue_by_category_and_street(world, data):
    assert data["totals"] == {"new": 3, "closed": 1, "overdue": 2}
    assert [(r["name"], r["new"], r["closed"], r["overdue"]) for r in data["by_category"]] == [
        ("环境整治", 2, 0, 1),
        ("道路交通", 1, 1, 1),
    ]
    assert [(r["name"], r["path"], r["new"], r["closed"], r["overdue"]) for r in data["by_street"]] == [
        ("甲街道", world.tree.street_a.path, 2, 0, 1),
        ("乙街道", world.tree.street_b.path, 1, 1, 1),
    ]


def test_rates_overall(data):
    overall = data["rates"]["overall"]
    assert overall["response"] == rate(3, 6, 50.0)  # r1, r9, r4 in time; r2, r10 late; r5 never; r3 left out
    assert overall["completion"] == rate(3, 4, 75.0)  # r1, r4, r10 answered; r2 not yet
    assert overall["resolution"] == rate(1, 3, 33.3)  # r1 (5) of r1, r9 (no rating), r4 (2)
    assert overall["satisfaction"] == rate(1, 2, 50.0)  # r1 (5) of r1, r4 (2); r6 is too old
    assert overall["average_rating"] == 3.5
    assert overall["ratings"] == 2


def test_rates_by_street(world, data):
    a, b = data["rates"]["by_street"]
    assert (a["name"], b["name"]) == ("甲街道", "乙街道")
    assert a["response"] == rate(2, 3, 66.7)
    assert a["completion"] == rate(1, 2, 50.0)
    assert a["resolution"] == rate(1, 2, 50.0)
    assert a["satisfaction"] == rate(1, 1, 100.0)
    assert a["average_rating"] == 5.0
    assert b["response"] == rate(1, 3, 33.3)
    assert b["completion"] == rate(2, 2, 100.0)
    assert b["resolution"] == rate(0, 1, 0.0)
    assert b["satisfaction"] == rate(0, 1, 0.0)
    assert b["average_rating"] == 2.0


def test_rates_by_department(world, data):
    transport, urban = data["rates"]["by_department"]
    assert (transport["name"], transport["id"]) == ("交通局", world.dept2.pk)
    assert transport["response"] == rate(1, 2, 50.0)
    assert transport["completion"] == rate(2, 2, 100.0)
    assert transport["resolution"] == rate(0, 1, 0.0)
    assert transport["satisfaction"] == rate(0, 1, 0.0)
    assert (urban["name"], urban["id"]) == ("城管局", world.dept1.pk)
    assert urban["response"] == rate(1, 2, 50.0)
    assert urban["completion"] == rate(1, 2, 50.0)
    assert urban["resolution"] == rate(1, 1, 100.0)
    assert urban["satisfaction"] == rate(1, 1, 100.0)
    assert urban["average_rating"] == 5.0


def test_rates_without_data_are_none(tree, world):
    data = compute_report(world.day - timedelta(days=100), now=world.now)
    assert data["totals"] == {"new": 0, "closed": 0, "overdue": 2}  # overdue is today's snapshot
    assert data["rates"]["overall"]["response"] == rate(0, 0, None)
    assert data["rates"]["overall"]["average_rating"] is None
    assert data["rates"]["by_department"] == []


def test_overdue_list_most_overdue_first(world, data):
    items = data["overdue"]["items"]
    assert [i["id"] for i in items] == [world.r5.pk, world.r2.pk]
    r5, r2 = items
    assert r5["status"] == S.SUBMITTED and r5["deadline"] == world.at(-1) and r5["days_overdue"] == 2.3
    assert (r5["street"], r5["region"], r5["category"], r5["department"]) == ("乙街道", "乙一第1网格", "道路交通", "")
    assert r2["deadline"] == world.at(-1, 12) and r2["days_overdue"] == 1.8
    assert (r2["street"], r2["department"]) == ("甲街道", "城管局")
    assert data["overdue"]["total"] == 2


def test_top_words_of_the_days_new_needs(data):
    words = {w["word"]: w["count"] for w in data["top_words"]}
    assert words["小区"] == 3  # every new need's description; counted once per need
    assert words["红绿灯"] == 2
    assert data["top_words"][0]["count"] == 3
    for stop_word in ("希望", "尽快", "解决", "这个", "问题", "时间"):
        assert stop_word not in words
    assert all(len(w) >= 2 for w in words)
    assert len(data["top_words"]) <= 20


def test_top_words_limit_and_order():
    texts = ["垃圾清运不及时"] * 3 + ["路口红绿灯坏了"] * 2 + [f"关于第{i}号楼电梯" for i in range(30)]
    words = top_words(texts, limit=3)
    assert [w["word"] for w in words] == ["电梯", "垃圾清运", "红绿灯"]
    assert [w["count"] for w in words] == [30, 3, 2]


def test_data_is_json(data):
    json.dumps(data, cls=DjangoJSONEncoder)


def _needs(tree, n, seed):
    rng = random.Random(seed)
    regions = [tree.community_a1, tree.grid_a1, tree.community_a2, tree.community_b1, tree.grid_b1]
    cats = [category("environment", "环境整治"), category("roads", "道路交通"), category("elderly", "养老服务")]
    from django.utils import timezone

    now = timezone.now()
    for i in range(n):
        created = now - timedelta(hours=rng.randint(1, 24 * 40))
        status = rng.choice([S.SUBMITTED, S.DISPATCHED, S.CLOSED, S.ANSWERED])
        closed = status == S.CLOSED
        NeedFactory(
            region=rng.choice(regions),
            category=rng.choice(cats),
            created_at=created,
            status=status,
            accept_deadline=created + timedelta(hours=24),
            accepted_at=created + timedelta(hours=rng.randint(1, 40)) if status != S.SUBMITTED else None,
            dispatched_at=created + timedelta(days=2) if status != S.SUBMITTED else None,
            answered_at=created + timedelta(days=3) if status in (S.ANSWERED, S.CLOSED) else None,
            closed_at=created + timedelta(days=4) if closed else None,
            followed_up_at=created + timedelta(days=4) if closed else None,
            rating=rng.randint(1, 5) if closed else None,
            is_overdue=status == S.SUBMITTED and i % 2 == 0,
            title=f"第{i}号楼电梯坏了",
        )


def test_query_count_does_not_grow_with_needs(tree):
    from django.utils import timezone

    day = timezone.localdate() - timedelta(days=1)
    _needs(tree, 10, seed=1)
    compute_report(day)  # warm up (jieba's dictionary, content types)
    with CaptureQueriesContext(connection) as few:
        small = compute_report(day)
    _needs(tree, 50, seed=2)
    with CaptureQueriesContext(connection) as many:
        large = compute_report(day)
    assert len(few) == len(many) == 12
    assert sum(r["new"] + r["closed"] + r["overdue"] for r in large["by_street"]) > sum(
        r["new"] + r["closed"] + r["overdue"] for r in small["by_street"]
    )

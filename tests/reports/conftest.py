"""A small district's needs with known timestamps, for the daily report.

The report's day D is yesterday (local time); "now" is D+1 07:00, when beat makes the report.
Streets A and B of the `tree` fixture; two categories; two departments.

    need  street  category  what happens (relative to D 00:00)
    r1    A grid  env       due D-4, accepted in time; dispatched dept1; answered; rated 5; closed D-1
    r2    A sub   env       due D-4, accepted late; dispatched dept1 D-3; answer due D-1 12:00: overdue
    r3    A       road      rejected without acceptance (left out of the response rate)
    r4    B       road      due D-9, accepted in time; dispatched dept2; rated 2 and closed on D
    r5    B       road      due D-1 00:00, never accepted: overdue
    r6    B       env       everything 35+ days ago (outside the window)
    r7    A       env       new at D 00:00 exactly
    r8    B       road      new on D
    r9    A a2    env       due D-5, accepted in time; merged and closed D-1 without a rating
    r10   B       road      due D-7, accepted late; dispatched dept2; answered, not rated yet
    r11   A       env       created D-1 23:59 (not new on D)
    r12   A       env       created D+1 00:30 (not new on D)
    a1    A       env       new on D, accept deadline D+1 09:00 (not due yet)
"""

from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from marketplace.needs.models import NeedStatus as S
from portal.organisations.models import OrganisationKind
from tests.factories import NeedFactory, OrganisationFactory, category


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def world(tree, day):
    tz = timezone.get_default_timezone()
    d0 = datetime.combine(day, time.min, tzinfo=tz)

    def at(days, hours=0, minutes=0):
        return d0 + timedelta(days=days, hours=hours, minutes=minutes)

    w = SimpleNamespace(tree=tree, day=day, d0=d0, at=at, now=at(1, 7))
    w.env = category("environment", "环境整治")
    w.road = category("roads", "道路交通")
    w.dept1 = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, region=tree.district, name="城管局")
    w.dept2 = OrganisationFactory(kind=OrganisationKind.DEPARTMENT, region=tree.district, name="交通局")
    description = "晚上小区里很黑，老人出门不方便。"

    def need(region, cat, created, **fields):
        return NeedFactory(region=region, category=cat, created_at=created, description=description, **fields)

    w.r1 = need(
        tree.grid_a1, w.env, at(-5), status=S.CLOSED, accept_deadline=at(-4), accepted_at=at(-5, 12),
        department=w.dept1, dispatched_at=at(-4), answered_at=at(-2), followed_up_at=at(-1), rating=5,
        closed_at=at(-1, 1),
    )  # fmt: skip
    w.r2 = need(
        tree.sub_grid_a1, w.env, at(-5), status=S.DISPATCHED, accept_deadline=at(-4), accepted_at=at(-3),
        department=w.dept1, dispatched_at=at(-3), answer_deadline=at(-1, 12), is_overdue=True,
    )  # fmt: skip
    w.r3 = need(tree.community_a1, w.road, at(-3), status=S.REJECTED, accept_deadline=at(-2))
    w.r4 = need(
        tree.community_b1, w.road, at(-10), status=S.CLOSED, accept_deadline=at(-9), accepted_at=at(-9, -12),
        department=w.dept2, dispatched_at=at(-9), answered_at=at(-5), followed_up_at=at(0, 10), rating=2,
        closed_at=at(0, 10, 5), reopened_count=1,
    )  # fmt: skip
    w.r5 = need(tree.grid_b1, w.road, at(-2), status=S.SUBMITTED, accept_deadline=at(-1), is_overdue=True)
    w.r6 = need(
        tree.community_b1, w.env, at(-40), status=S.CLOSED, accept_deadline=at(-39), accepted_at=at(-39, -1),
        department=w.dept2, dispatched_at=at(-39), answered_at=at(-37), followed_up_at=at(-35), rating=4,
        closed_at=at(-35),
    )  # fmt: skip
    w.r7 = need(tree.community_a1, w.env, at(0), title="小区垃圾分类点太臭")
    w.r8 = need(tree.community_b1, w.road, at(0, 15), title="路口红绿灯坏了，希望尽快解决这个问题")
    w.r9 = need(
        tree.community_a2, w.env, at(-6), status=S.CLOSED, accept_deadline=at(-5), accepted_at=at(-5, -12),
        closed_at=at(-1, 2),
    )  # fmt: skip
    w.r10 = need(
        tree.grid_b1, w.road, at(-8), status=S.ANSWERED, accept_deadline=at(-7), accepted_at=at(-7, 2),
        department=w.dept2, dispatched_at=at(-7), answered_at=at(-6),
    )  # fmt: skip
    w.r11 = need(tree.community_a1, w.env, at(0, 0, -1))
    w.r12 = need(tree.community_a1, w.env, at(1, 0, 30))
    w.a1 = need(tree.grid_a1, w.env, at(0, 9), title="学校门口红绿灯时间太短", accept_deadline=at(1, 9))
    return w

"""Councils with a collection window, and topics on them (set up directly: services are tested on their own)."""

from datetime import timedelta

from django.utils import timezone

from deliberation.councils.models import COLLECT_TOPICS, Council, CouncilLevel
from deliberation.topics.models import Topic
from portal.phases.services import set_window


def council(region, *, slug=None, level=CouncilLevel.COMMUNITY, threshold=2, collecting=True, name=None):
    made = Council.objects.create(
        name=name or f"{region.name}居民议事会",
        slug=slug or f"council-{region.code.lower()}",
        level=level,
        region=region,
        support_threshold=threshold,
        description="每月第一个周六上午议事。",
    )
    now = timezone.now()
    if collecting:
        set_window(made, COLLECT_TOPICS, now - timedelta(days=3), now + timedelta(days=20), title="本季度议题征集")
    else:
        set_window(made, COLLECT_TOPICS, now + timedelta(days=10), now + timedelta(days=40), title="下季度议题征集")
    return made


def topic(council, by=None, *, title="小区东门加装电动车充电桩", **fields):
    fields.setdefault("body", "楼道里充电有火灾隐患，希望在东门空地装一排充电桩。")
    fields.setdefault("region", council.region)
    return Topic.objects.create(council=council, title=title, proposed_by=by, **fields)

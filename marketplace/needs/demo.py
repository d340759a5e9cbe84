"""A year of needs across channels, categories and statuses: some overdue, some merged into projects."""

import random
from datetime import timedelta

from django.utils import timezone

from marketplace.projects.models import Project

from .models import (
    Channel,
    EscalationLevel,
    EventKind,
    Need,
    NeedEvent,
    NeedStatus,
    ServiceLevel,
    SupervisionOrder,
)

COUNT = 3000
TOPICS = {
    "elderly-care": ["独居老人需要助餐服务", "希望社区增设老年活动室", "老人行动不便，希望上门体检"],
    "child-care": ["放学后孩子无人看管", "希望开设四点半课堂", "小区儿童游乐设施损坏"],
    "disability": ["无障碍坡道被占用", "残疾人出行需要帮助", "希望增加盲道"],
    "environment": ["小区垃圾清运不及时", "楼道堆放杂物", "绿化带无人修剪", "污水井冒水"],
    "waste-sorting": ["垃圾分类投放点太远", "厨余垃圾桶经常满溢", "希望开展垃圾分类宣传"],
    "property": ["电梯经常故障", "楼顶漏水", "物业服务不到位"],
    "parking": ["小区停车难", "消防通道被车辆占用", "非机动车乱停放"],
    "safety": ["路灯不亮存在安全隐患", "井盖松动", "小区门禁损坏"],
    "culture": ["希望组织广场舞活动", "社区图书室开放时间太短", "想办书法兴趣班"],
    "health": ["希望社区卫生站延长服务时间", "家庭医生签约咨询", "楼下餐馆油烟扰民"],
    "employment": ["失业人员求职帮扶", "希望开展技能培训", "零工市场信息"],
    "housing": ["老旧小区外墙脱落", "单元门破损", "希望加装电梯"],
}
CHANNEL_WEIGHTS = [
    (Channel.HOTLINE, 35),
    (Channel.WEB, 20),
    (Channel.GRID_PATROL, 20),
    (Channel.WECHAT, 10),
    (Channel.SERVICE_WINDOW, 8),
    (Channel.COUNCIL, 4),
    (Channel.DEPUTIES_STUDIO, 3),
]
ANSWERS = ["已安排人员现场处理", "已协调物业整改完毕", "已纳入年度计划，近期实施", "已联系相关部门解决"]


def load(ctx):
    if ServiceLevel.objects.count() == 0:
        ServiceLevel.objects.create(hours_to_accept=24, working_days_to_answer=5)
        ServiceLevel.objects.create(channel=Channel.HOTLINE, hours_to_accept=2, working_days_to_answer=3)
        ServiceLevel.objects.create(category=ctx["categories"]["safety"], hours_to_accept=4, working_days_to_answer=2)
    if Need.objects.exists():
        ctx["needs"] = Need.objects.count()
        return f"{ctx['needs']} needs (kept)"
    rng = random.Random(365)
    now = timezone.now()
    users = ctx["users"]
    residents = [users["resident1"], users["council1"], None, None]
    departments = [o for o in ctx["organisations"] if o.kind == "department"]
    grids = ctx["grids"]
    categories = ctx["categories"]
    channels = [c for c, w in CHANNEL_WEIGHTS for _ in range(w)]
    needs, plans = [], []
    for i in range(COUNT):
        slug = rng.choice(list(TOPICS))
        title = rng.choice(TOPICS[slug])
        age = timedelta(days=rng.random() ** 1.6 * 365, minutes=rng.randint(0, 1440))
        created = now - age
        grid = grids[0] if i % 25 == 0 else rng.choice(grids)
        resident = rng.choice(residents)
        status = _pick_status(rng, age)
        need = Need(
            title=title,
            description=f"{grid.name}居民反映：{title}，请尽快处理。",
            category=categories[slug],
            region=grid,
            channel=Channel.WEB if resident and i % 3 == 0 else rng.choice(channels),
            status=status,
            submitted_by=resident,
            contact_name="" if resident else rng.choice(["王女士", "李先生", "张阿姨", "刘大爷"]),
            contact_phone=f"139{rng.randint(10000000, 99999999)}",
            external_ref=f"12345-{created:%Y%m%d}-{i:05d}" if i % 3 else "",
            created_at=created,
            accept_deadline=created + timedelta(hours=24),
        )
        _fill_timestamps(rng, need, now, departments)
        needs.append(need)
        plans.append(status)
    Need.objects.bulk_create(needs, batch_size=500)
    _timelines(needs)
    _projects(rng, ctx, needs)
    _supervision(ctx, needs, now)
    ctx["needs"] = len(needs)
    return f"{len(needs)} needs"


def _pick_status(rng, age):
    if age < timedelta(days=2):
        return rng.choice([NeedStatus.SUBMITTED, NeedStatus.SUBMITTED, NeedStatus.ACCEPTED, NeedStatus.DISPATCHED])
    if age < timedelta(days=14):
        return rng.choice([NeedStatus.DISPATCHED, NeedStatus.DISPATCHED, NeedStatus.ANSWERED, NeedStatus.CLOSED])
    return rng.choices(
        [NeedStatus.CLOSED, NeedStatus.REJECTED, NeedStatus.MERGED, NeedStatus.REFERRED, NeedStatus.DISPATCHED],
        weights=[80, 4, 8, 3, 5],
    )[0]


def _fill_timestamps(rng, need, now, departments):
    s = NeedStatus
    created = need.created_at
    if need.status != s.SUBMITTED:
        need.accepted_at = created + timedelta(hours=rng.uniform(0.5, 20))
    if need.status in (s.DISPATCHED, s.ANSWERED, s.CLOSED):
        need.department = rng.choice(departments)
        need.dispatched_at = need.accepted_at + timedelta(hours=rng.uniform(0.2, 6))
        need.answer_deadline = need.dispatched_at + timedelta(days=7)
    if need.status in (s.ANSWERED, s.CLOSED):
        need.answered_at = min(need.dispatched_at + timedelta(days=rng.uniform(0.5, 6)), now)
        need.answer = rng.choice(ANSWERS)
    if need.status == s.CLOSED:
        need.rating = rng.choices([5, 4, 3, 2, 1], weights=[70, 20, 6, 3, 1])[0]
        need.followed_up_at = need.closed_at = min(need.answered_at + timedelta(days=rng.uniform(0.5, 3)), now)
    # Overdue: not accepted in time, or not answered by the deadline.
    need.is_overdue = (need.status == s.SUBMITTED and need.accept_deadline < now) or (
        need.status == s.DISPATCHED and need.answer_deadline < now
    )


def _timelines(needs):
    s = NeedStatus
    events = []
    for need in needs:
        events.append(NeedEvent(need=need, to_status=s.SUBMITTED, created_at=need.created_at, note=need.channel))
        steps = [
            (s.ACCEPTED, need.accepted_at, ""),
            (s.DISPATCHED, need.dispatched_at, need.department.name if need.department_id else ""),
            (s.ANSWERED, need.answered_at, need.answer),
            (s.FOLLOWED_UP, need.followed_up_at, f"{need.rating}/5" if need.rating else ""),
            (s.CLOSED, need.closed_at, ""),
        ]
        previous = s.SUBMITTED
        for status, at, note in steps:
            if at:
                events.append(NeedEvent(need=need, from_status=previous, to_status=status, created_at=at, note=note))
                previous = status
        if need.status in (s.REJECTED, s.MERGED, s.REFERRED):
            at = need.accepted_at or need.created_at
            events.append(NeedEvent(need=need, from_status=previous, to_status=need.status, created_at=at))
        if need.is_overdue:
            events.append(NeedEvent(need=need, kind=EventKind.OVERDUE, created_at=timezone.now()))
    NeedEvent.objects.bulk_create(events, batch_size=1000)


def _projects(rng, ctx, needs):
    merged = [n for n in needs if n.status == NeedStatus.MERGED]
    by_topic = {}
    for need in merged:
        by_topic.setdefault((need.category_id, need.title), []).append(need)
    for (category_id, title), group in sorted(by_topic.items(), key=lambda kv: -len(kv[1]))[:12]:
        project = Project.objects.create(
            title=f"{title}——合并项目",
            summary=f"由{len(group)}条居民诉求合并而成。",
            category_id=category_id,
            region=ctx["district"],
            created_by=ctx["users"]["streetstaff1"],
        )
        Need.objects.filter(pk__in=[n.pk for n in group]).update(project=project)


def _supervision(ctx, needs, now):
    streets = {s.path: s for s in ctx["streets"]}
    orders = []
    for need in [n for n in needs if n.is_overdue][:60]:
        street = streets[need.region.path[:8]]
        orders.append(
            SupervisionOrder(
                need=need,
                level=EscalationLevel.STREET,
                region=street,
                reason="超过办理时限",
                issued_at=now - timedelta(hours=2),
            )
        )
    SupervisionOrder.objects.bulk_create(orders)
    Need.objects.filter(pk__in=[o.need_id for o in orders]).update(escalation_level=EscalationLevel.STREET)

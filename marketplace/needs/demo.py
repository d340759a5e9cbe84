"""A year of needs as the district's residents, grid workers and departments write them.

Each need is one of the situations of `demo_texts` in a real place of the demo district,
told in the voice of its channel (a hotline operator's ticket, a resident's message, a grid
worker's patrol note), then lived through its steps at plausible times: accepted, dispatched
to the department that handles that kind of problem, answered, followed up and rated, with
some late, some reopened, some still open. Statuses, stamps, timelines and supervision orders
agree with each other as if the services had run. The demo residents (`resident1`,
`council1`) have needs of their own with the notifications the services would have sent.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import partial
from typing import NamedTuple
from unittest import mock

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from deliberation.topics import services as topic_services
from portal.core.demo import clock, demo_step
from portal.notifications.messages import named, when
from portal.notifications.models import Notification
from portal.notifications.services import notify

from . import demo_texts as T
from .deadlines import service_level_for
from .messages import ASSIGNED, STEP, SUPERVISION_ORDER
from .models import (
    CalendarDay,
    Channel,
    EscalationLevel,
    EventKind,
    Need,
    NeedEvent,
    NeedStatus,
    NeedSupport,
    ServiceLevel,
    SupervisionOrder,
)

S = NeedStatus
COUNT = 3000
SEED = 365
CHANNEL_WEIGHTS = {
    Channel.HOTLINE: 35,
    Channel.WEB: 20,
    Channel.GRID_PATROL: 20,
    Channel.WECHAT: 10,
    Channel.SERVICE_WINDOW: 8,
    Channel.COUNCIL: 4,
    Channel.DEPUTIES_STUDIO: 3,
}
# Channels staffed on working days only, and their hours.
OFFICE_HOURS = {
    Channel.GRID_PATROL: (8.5, 17.5),
    Channel.SERVICE_WINDOW: (8.5, 17),
    Channel.COUNCIL: (18.5, 20.5),
    Channel.DEPUTIES_STUDIO: (9, 16),
}
# When residents call or write (hour → weight): mornings and early evenings.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 12, 11, 9, 6, 7, 9, 10, 10, 9, 10, 10, 8, 5, 3, 2]
RATINGS = ([5, 4, 3, 2, 1], [68, 20, 7, 3, 2])


# --- the resident's own needs ------------------------------------------------------


class Story(NamedTuple):
    """A need of a demo account, written out in full (the resident's page must read like a life)."""

    user: str
    category: str
    title: str
    description: str
    days_ago: float
    plan: str
    channel: str = Channel.WEB
    answers: tuple = ()  # the department's answer(s); two when the first did not satisfy
    ratings: tuple = ()  # (rating, comment) per follow-up
    dept: str | None = None
    note: str = ""  # the reason of a rejection or referral


STORIES = [
    Story(
        "resident1",
        "property",
        "长春小区8号楼2单元楼道灯坏了一个多月",
        "我住8号楼2单元，楼道灯从上个月就不亮了，晚上下楼倒垃圾全靠手机照亮，楼里好几个老人天黑了就不敢出门。"
        "跟物业说过两回，一直说等灯泡。希望尽快修好。",
        150,
        S.CLOSED,
        answers=("物业已于{date}更换8号楼2单元楼道灯6盏，全部改为人体感应LED灯。",),
        ratings=((5, "换了感应灯，晚上亮堂多了，谢谢！"),),
    ),
    Story(
        "resident1",
        "housing",
        "8号楼顶楼漏雨，天花板发霉",
        "我家住8号楼顶楼，一下雨卧室天花板就往下滴水，墙角一片黑霉，被褥都潮了。对门邻居家也一样。",
        75,
        S.CLOSED,
        answers=(
            "物业已于{date}对8号楼屋面漏点进行局部修补。",
            "屋面防水层整体老化，已使用公共维修资金对8号楼屋面整体重做防水，{date}完工，费用已在单元门公示。",
        ),
        ratings=((2, "补了一块，下雨还是漏"), (4, "这回不漏了，就是前后等了一个多月")),
    ),
    Story(
        "resident1",
        "safety",
        "长春路与胜利路路口路灯不亮",
        "长春路和胜利路交口那两盏路灯一个星期没亮了，晚上从早市回来黑乎乎的，前两天邻居差点被电动车撞了。",
        3.2,
        S.ANSWERED,
        answers=(
            "路灯管理所已于{date}更换长春路与胜利路路口灯具2套并修复线路，路灯已恢复照明。请您晚上留意是否正常。",
        ),
        dept="城管",
    ),
    Story(
        "resident1",
        "environment",
        "长春路新开的烧烤店油烟熏得没法开窗",
        "长春路23号楼下新开了一家烧烤店，从傍晚烤到半夜，油烟直接往楼上飘，我家在三楼，窗户都不敢开。",
        1.1,
        S.DISPATCHED,
    ),
    Story(
        "resident1",
        "child-care",
        "想给孙子报社区四点半课堂，怎么报名？",
        "孙子在长春路小学上二年级，他爸妈下班晚，听说社区有四点半课堂，想问问怎么报名、要不要交钱。",
        0.08,
        S.SUBMITTED,
    ),
    Story(
        "resident1",
        "parking",
        "希望把23路公交车延长到长春小区",
        "小区离最近的公交站要走十几分钟，还要爬个大坡，老人去医院很不方便。能不能把23路延长到小区门口？",
        200,
        S.REJECTED,
        note="公交线路调整属市交通运输局职责，不在区级办理范围，已告知您拨打12345市民服务热线向市交通运输局反映。",
    ),
    Story(
        "resident1",
        "health",
        "长春社区卫生服务站周六能不能开门",
        "老伴有高血压，每个月要去卫生站开药，可我们周六才有空让儿子陪着去，卫生站周末又不开门。",
        32,
        S.CLOSED,
        answers=("长春社区卫生服务站已调整为周六上午8:00至12:00开诊，可开具慢病长期处方。",),
        ratings=((5, "周六能开药了，太方便了"),),
    ),
    Story(
        "council1",
        "parking",
        "长春小区停车位不够，建议议事会商量划线停车",
        "小区三百多户只有八十来个车位，晚上车停到消防通道上。我在居民代表里问了一圈，大家都愿意商量个办法，"
        "比如重新划线、和旁边的学校错时停车。",
        20,
        S.REFERRED,
        channel=Channel.COUNCIL,
        note="涉及全体居民利益，提交长春社区居民议事会下次例会商议。",
    ),
    Story(
        "council1",
        "elderly-care",
        "长春社区老年活动室下午四点就锁门",
        "我们几个老伙计下午睡完午觉去活动室下棋，四点就锁门了。能不能延长到晚上六七点？值班的志愿者我们可以自己排。",
        0.3,
        S.ACCEPTED,
    ),
    Story(
        "council1",
        "culture",
        "长春小区健身器材坏了两件",
        "小区广场的太空漫步机和扭腰器坏了，断口很锋利，早上锻炼的老人多，孩子也爱在上面爬。",
        60,
        S.CLOSED,
        answers=("区文旅体局已于{date}拆除损坏器材，并更换新的太空漫步机和扭腰器各1件。",),
        ratings=((5, "换得挺快"),),
        dept="文旅",
    ),
]


# --- writing one need --------------------------------------------------------------


@dataclass
class Place:
    grid: object
    community: object
    street: object
    roads: tuple
    estates: tuple


@dataclass
class Draft:
    """A need and its timeline, lived through before it is saved."""

    need: Need
    situation: T.Situation | None
    variant: str
    slots: dict
    events: list = field(default_factory=list)  # (at, kind, from, to, note, actor)
    orders: list = field(default_factory=list)  # (level, region, reason, issued, resolved)
    order_params: dict = field(default_factory=dict)  # level: the reason's parameters, for its message
    story: Story | None = None


class Writer:
    """Writes needs: composes their text, lives their steps, saves them with their timelines."""

    def __init__(self, ctx, *, seed=SEED, now=None):
        self.ctx = ctx
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.users = ctx["users"]
        self.departments = ctx["departments"]
        by_path = {r.path: r for r in [*ctx["streets"], *ctx["communities"]]}
        self.places = {}
        for grid in ctx["grids"]:
            community = by_path[grid.path[:12]]
            roads, estates = T.PLACES[community.name.removesuffix("社区")]
            self.places[grid.pk] = Place(grid, community, by_path[grid.path[:8]], roads.split(), estates.split())
        self.levels = {}
        self.holidays = dict(CalendarDay.objects.values_list("date", "is_workday"))
        self.titles = set(Need.objects.values_list("title", flat=True))
        self.tickets = {}
        self.refs = set(Need.objects.exclude(external_ref="").values_list("external_ref", flat=True))

    # time ----------------------------------------------------------------------

    def working_days(self, start, days):
        """`start` plus `days` working days, at the same time of day (as the deadlines module counts)."""
        local = timezone.localtime(start)
        day = local.date()
        while days > 0:
            day += timedelta(days=1)
            if self.holidays.get(day, day.weekday() < 5):
                days -= 1
        return local.replace(year=day.year, month=day.month, day=day.day)

    def level(self, category, channel):
        key = (category.pk, channel)
        if key not in self.levels:
            level = service_level_for(category, channel)
            self.levels[key] = (level.hours_to_accept, level.working_days_to_answer)
        return self.levels[key]

    def office(self, at, start=8.5, end=18.0, weekdays=True):
        """`at`, or the next time within these hours (departments answer at work, on working days)."""
        local = timezone.localtime(at)
        day, hours = local.date(), local.hour + local.minute / 60
        if start <= hours < end and not (weekdays and not self.holidays.get(day, day.weekday() < 5)):
            return at
        if hours >= end:
            day, hours = day + timedelta(days=1), 0
        while weekdays and not self.holidays.get(day, day.weekday() < 5):
            day, hours = day + timedelta(days=1), 0
        later = timedelta(hours=self.rng.uniform(max(start, hours), end))
        return timezone.make_aware(datetime.combine(day, time()) + later)

    def moment(self, day, channel):
        """A time on `day` when this channel takes needs, before now; None if there is none (yet) today."""
        rng = self.rng
        for _attempt in range(8):
            if channel in OFFICE_HOURS:
                start, end = OFFICE_HOURS[channel]
                hours = rng.uniform(start, end)
            else:
                hours = rng.choices(range(24), HOUR_WEIGHTS)[0] + rng.random()
            at = timezone.make_aware(datetime.combine(day, time()) + timedelta(hours=hours))
            if at < self.now:
                return at
        return None

    # text ----------------------------------------------------------------------

    def slots(self, place):
        rng = self.rng
        road = rng.choice(place.roads)
        floor = rng.randint(2, 7)
        return {
            "community": place.community.name,
            "street": place.street.name,
            "road": road,
            "road2": next((r for r in place.roads if r != road), road),
            "estate": rng.choice(place.estates),
            "bldg": rng.randint(1, 42),
            "unit": rng.randint(1, 6),
            "floor": floor,
            "room": f"{floor}0{rng.randint(1, 4)}",
            "n": rng.randint(3, 9),
            "m": rng.randint(12, 48),
            "k": rng.randint(3, 9),
            "when": rng.choice(T.WHEN),
            "days": rng.choice(T.DAYS),
            "temp": rng.randint(13, 16),
            "fee": rng.choice(T.FEES),
            "hours": rng.choice([20, 30, 40]),
            "date": "",
        }

    def title(self, situation, variant, place, slots):
        """A title nobody used yet: a new place for a repeated problem, as the 365 centre would file it."""
        rng = self.rng
        for attempt in range(60):
            if attempt:
                slots.update(self.slots(place))
            text = rng.choice(situation.lines("titles", variant)).format_map(slots)
            if attempt >= 3:  # a common complaint: say where, as precisely as it takes
                estate, community = slots["estate"], slots["community"]
                where = [community] if estate in text else [estate, community, f"{estate}{slots['bldg']}号楼"]
                text = f"{rng.choice(where)}：{text}"
            if text not in self.titles:
                self.titles.add(text)
                return text
        n = 2
        while f"{text}（第{n}次反映）" in self.titles:
            n += 1
        self.titles.add(text := f"{text}（第{n}次反映）")
        return text

    def description(self, situation, variant, channel, slots, category):
        rng = self.rng
        extras = T.PLACE_EXTRAS if category in T.PLACE_CATEGORIES else ()
        facts = situation.lines("facts", variant)
        facts = rng.sample(facts, 2 if len(facts) > 1 and rng.random() < 0.3 else 1)
        return (
            rng.choice(T.FRAMES[channel])
            .format_map(
                {
                    **slots,
                    "facts": "。".join(f.format_map(slots) for f in facts),
                    "ask": rng.choice(situation.lines("asks", variant)).format_map(slots),
                    "extra": rng.choice(T.EXTRAS + extras) if rng.random() < 0.35 else "",
                }
            )
            .replace("。。", "。")
        )

    def answer(self, situation, variant, slots, at, again=False):
        rng = self.rng
        day = timezone.localtime(at - timedelta(days=rng.choice([0, 0, 1, 2]))).date()
        text = rng.choice(situation.lines("answers", variant)).format_map(
            {**slots, "date": f"{day.month}月{day.day}日"}
        )
        if again:
            return T.REANSWER + text
        return rng.choice(T.ANSWER_OPENINGS) + text + rng.choice(T.ANSWER_ENDINGS)

    def contact(self, channel, place):
        rng = self.rng
        surname = rng.choice(T.SURNAMES)
        mobile = f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
        if channel == Channel.GRID_PATROL:
            worker = "刘洋" if place.grid.pk == self.ctx["grids"][0].pk else rng.choice(T.GRID_WORKERS)
            return worker, ""
        if channel == Channel.HOTLINE:
            if rng.random() < 0.1:
                return "", mobile  # the caller gave no name
            phone = mobile if rng.random() < 0.75 else f"0411-8{rng.randint(0, 9_999_999):07d}"
            return surname + rng.choice(T.ADDRESSES), phone
        if channel in (Channel.SERVICE_WINDOW, Channel.COUNCIL, Channel.DEPUTIES_STUDIO):
            return surname + rng.choice(T.GIVEN), mobile
        return surname + rng.choice(T.ADDRESSES), mobile

    def ticket(self, created):
        """A hotline ticket number: the city's 12345 line or the district's 365 line, numbered per day."""
        rng = self.rng
        day = timezone.localtime(created).date()
        line = "12345" if rng.random() < 0.6 else "365"
        while True:
            seq = self.tickets.get((line, day)) or rng.randint(40, 400)
            self.tickets[(line, day)] = seq + rng.randint(1, 25 if line == "12345" else 3)
            ref = f"DL12345-{day:%Y%m%d}-{seq:05d}" if line == "12345" else f"XG365-{day:%y%m%d}-{seq:03d}"
            if ref not in self.refs:
                self.refs.add(ref)
                return ref

    # one need ------------------------------------------------------------------------

    def draft(self, *, category, grid, created, plan, channel, situation=None, variant=None, story=None):
        rng = self.rng
        category = self.ctx["categories"][category]
        place = self.places[grid.pk]
        slots = self.slots(place)
        variant = variant or (rng.choice(situation.variants) if situation else "")
        if story:
            title, description = story.title, story.description
            self.titles.add(title)
        else:
            title = self.title(situation, variant, place, slots)
            description = self.description(situation, variant, channel, slots, category.slug)
        user = self.users.get(story.user) if story else None
        name, phone = (user.display_name, "139" + f"{user.pk:08d}") if user else self.contact(channel, place)
        entered_by = None
        if channel == Channel.GRID_PATROL and grid.pk == self.ctx["grids"][0].pk:
            entered_by = self.users["gridworker1"]
        elif channel in (Channel.SERVICE_WINDOW, Channel.COUNCIL) and place.community == self.ctx["communities"][0]:
            entered_by = self.users["staff1"]
        hours, _days = self.level(category, channel)
        need = Need(
            title=title,
            description=description,
            category=category,
            region=grid,
            channel=channel,
            status=S.SUBMITTED,
            submitted_by=user,
            entered_by=entered_by,
            contact_name=name,
            contact_phone=phone,
            external_ref=self.ticket(created) if channel == Channel.HOTLINE else "",
            created_at=created,
            accept_deadline=created + timedelta(hours=hours),
        )
        draft = Draft(need, situation, variant, slots, story=story)
        draft.events.append((created, EventKind.STATUS, "", S.SUBMITTED, str(channel), user))
        self.live(draft, plan)
        return draft

    def live(self, draft, plan):
        """Take the need through its steps towards `plan`, stopping where the clock (now) stops it."""
        rng, now, need, story = self.rng, self.now, draft.need, draft.story
        department_key = (story and story.dept) or (draft.situation and draft.situation.dept)
        department = self.departments[T.DEPARTMENTS[department_key or T.USUAL_DEPARTMENT[need.category.slug]]]
        hours, days = self.level(need.category, need.channel)
        community = self.places[need.region_id].community.name

        def step(to, at, note="", actor=None):
            draft.events.append((at, EventKind.STATUS, need.status, to, note, actor))
            need.status = to

        if plan == S.SUBMITTED:
            return self.overdue(draft)
        late = not story and rng.random() < 0.04  # a few needs wait longer than the service level allows
        accepted = need.created_at + timedelta(hours=rng.uniform(1.05, 2.5) * hours if late else rng.uniform(0.1, 0.8))
        if accepted > now:
            return self.overdue(draft)
        need.accepted_at = accepted
        if plan == S.REJECTED:
            reasons = [text for text, channels in T.REJECTIONS if need.channel in channels]
            return step(S.REJECTED, accepted, (story and story.note) or rng.choice(reasons))
        step(S.ACCEPTED, accepted)
        if plan == S.ACCEPTED:
            return None
        council = draft.situation and draft.situation.council
        if plan == S.REFERRED or (plan == S.CLOSED and council and rng.random() < 0.35):
            referred = accepted + timedelta(hours=rng.uniform(2, 30))
            if referred > now:
                return None
            note = (story and story.note) or rng.choice(T.REFERRALS).format(community=community)
            step(S.REFERRED, referred, note)
            decided = referred + timedelta(days=rng.uniform(7, 25))
            if plan == S.CLOSED and decided < now:
                need.closed_at = decided
                step(S.CLOSED, decided, rng.choice(T.COUNCIL_RESULTS).format(community=community))
            return None
        dispatched = accepted + timedelta(hours=rng.uniform(0.2, 4))
        if dispatched > now:
            return None
        need.department, need.dispatched_at = department, dispatched
        need.answer_deadline = self.working_days(dispatched, days)
        step(S.DISPATCHED, dispatched, department.name)
        for round_ in range(2):
            if plan == S.DISPATCHED:
                return self.overdue(draft)
            span = need.answer_deadline - need.dispatched_at
            if story:
                factor = rng.uniform(0.1, 0.3)
            else:
                factor = rng.uniform(1.05, 1.6) if rng.random() < 0.04 else rng.uniform(0.08, 0.9)
            answered = self.office(need.dispatched_at + span * factor)
            if answered > now:
                return self.overdue(draft)
            self.was_late(draft, need.answer_deadline, answered)
            if story:
                need.answer = story.answers[round_].format(date=f"{answered.month}月{answered.day}日")
            else:
                need.answer = self.answer(draft.situation, draft.variant, draft.slots, answered, again=bool(round_))
            need.answered_at = answered
            step(S.ANSWERED, answered, need.answer)
            if plan == S.ANSWERED:
                return None
            followed = self.office(answered + timedelta(hours=rng.uniform(4, 72)), 9, 20, weekdays=False)
            if followed > now:
                return None
            if story:
                rating, comment = story.ratings[round_]
            else:
                rating = rng.choices(*RATINGS)[0] if round_ == 0 else rng.choices([5, 4, 3, 2], [40, 35, 15, 10])[0]
                comment = rng.choice(T.RATING_COMMENTS[rating]) if rng.random() < 0.4 or rating < 3 else ""
            need.rating, need.rating_comment, need.followed_up_at = rating, comment, followed
            step(S.FOLLOWED_UP, followed, f"{rating}/5 {comment}".strip(), need.submitted_by)
            if rating >= 3 or need.reopened_count:
                need.closed_at = followed
                return step(S.CLOSED, followed, _("Closed after follow-up."))
            # Not satisfied: back to the department once, with a fresh deadline.
            need.reopened_count, need.answered_at, need.answer = 1, None, ""
            need.dispatched_at, need.answer_deadline = followed, self.working_days(followed, days)
            step(S.DISPATCHED, followed, _("Reopened: the resident is not satisfied."))
        return None

    def overdue(self, draft):
        """Flag a need still waiting past its deadline, with the supervision orders the beat job issues."""
        need = draft.need
        deadline = need.accept_deadline if need.status == S.SUBMITTED else need.answer_deadline
        # The beat job flags and escalates together, a few minutes after the deadline.
        if need.status in (S.SUBMITTED, S.DISPATCHED) and deadline and deadline + timedelta(minutes=10) < self.now:
            need.is_overdue = True
            draft.events.append(
                (deadline + timedelta(minutes=5), EventKind.OVERDUE, "", "", _("Deadline passed."), None)
            )
            self.escalate(draft, deadline, resolved=None)

    def was_late(self, draft, deadline, answered):
        """An answer after the deadline: it was overdue meanwhile, and supervised until answered."""
        if answered > deadline:
            draft.events.append(
                (deadline + timedelta(minutes=5), EventKind.OVERDUE, "", "", _("Deadline passed."), None)
            )
            self.escalate(draft, deadline, resolved=answered)

    def escalate(self, draft, deadline, resolved):
        need = draft.need
        place = self.places[need.region_id]
        status = str(S(need.status).label)
        reason = _("Deadline %(deadline)s passed while the need was “%(status)s”.") % {
            "deadline": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
            "status": status,
        }
        issued = deadline + timedelta(minutes=10)
        done = {order[0] for order in draft.orders}  # one order per level: late again goes up to the district
        levels = [(EscalationLevel.STREET, place.street, issued)] if EscalationLevel.STREET not in done else []
        to_district = self.working_days(issued, 1) if levels else issued
        if to_district < (resolved or self.now) and EscalationLevel.DISTRICT not in done:
            levels.append((EscalationLevel.DISTRICT, self.ctx["district"], to_district))
        for level, region, at in levels:
            if at > self.now:
                break
            draft.orders.append((level, region, reason, at, resolved))
            draft.order_params[level] = {"deadline": when(deadline), "status": need.status}
            note = _("Supervision order to %(region)s.") % {"region": region.name}
            draft.events.append((at, EventKind.ESCALATED, "", "", note, None))
            need.escalation_level = level

    # saving ---------------------------------------------------------------------------

    def save(self, drafts):
        """Insert the needs, their timelines and supervision orders in bulk."""
        Need.objects.bulk_create([d.need for d in drafts], batch_size=500)
        events, orders = [], []
        for d in drafts:
            for at, kind, from_status, to_status, note, actor in d.events:
                events.append(
                    NeedEvent(
                        need=d.need,
                        kind=kind,
                        from_status=from_status,
                        to_status=to_status,
                        note=note,
                        actor=actor,
                        created_at=at,
                    )
                )
            for level, region, reason, issued, resolved in d.orders:
                orders.append(
                    SupervisionOrder(
                        need=d.need, level=level, region=region, reason=reason, issued_at=issued, resolved_at=resolved
                    )
                )
        NeedEvent.objects.bulk_create(events, batch_size=1000)
        SupervisionOrder.objects.bulk_create(orders, batch_size=500)
        return [d.need for d in drafts]


# --- the year ------------------------------------------------------------------------


def _plan(rng, age, situation, channel):
    """Where a need of this age has got to by now (the clock may stop it earlier)."""
    if age < 0.25:
        options = {S.SUBMITTED: 55, S.ACCEPTED: 25, S.DISPATCHED: 20}
    elif age < 1:
        options = {S.SUBMITTED: 6, S.ACCEPTED: 14, S.DISPATCHED: 55, S.ANSWERED: 18, S.CLOSED: 7}
    elif age < 4:
        options = {S.ACCEPTED: 3, S.DISPATCHED: 40, S.ANSWERED: 30, S.CLOSED: 24, S.REJECTED: 3}
    elif age < 15:
        options = {S.DISPATCHED: 12, S.ANSWERED: 18, S.CLOSED: 62, S.REJECTED: 4, S.REFERRED: 4}
    else:
        options = {S.CLOSED: 90, S.REJECTED: 4, S.REFERRED: 2.5, S.ANSWERED: 2.5, S.DISPATCHED: 0.7}
    if not situation.council:
        options.pop(S.REFERRED, None)
    plan = rng.choices(list(options), list(options.values()))[0]
    if plan == S.REJECTED and not any(channel in channels for _text, channels in T.REJECTIONS):
        return S.CLOSED  # what grid workers and staff file is theirs to handle
    return plan


def _situation(rng, slug, month):
    choices = [s for s in T.SITUATIONS[slug] if not s.months or month in s.months]
    return rng.choice(choices)


def _year(writer):
    rng, now = writer.rng, writer.now
    grids = writer.ctx["grids"]
    channels, weights = list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values())
    # How often each kind comes up: property, environment and parking lead, as in the 365 centre's figures.
    categories = {
        "property": 16, "environment": 14, "parking": 10, "housing": 9, "safety": 9, "elderly-care": 9,
        "waste-sorting": 8, "health": 7, "culture": 5, "employment": 5, "child-care": 5, "disability": 3,
    }  # fmt: skip
    today = timezone.localdate(now)
    drafts = []
    for i in range(COUNT):
        created = None
        while created is None:
            # More needs lately (the platform caught on): a third spread evenly, the rest growing to today.
            age = rng.uniform(0, 365) if rng.random() < 0.35 else 365 * (1 - rng.random() ** 0.5)
            day = today - timedelta(days=int(age))
            if day.weekday() >= 5 and rng.random() < 0.3:
                continue  # quieter weekends
            channel = rng.choices(channels, weights)[0]
            if channel in OFFICE_HOURS and day.weekday() >= 5:
                channel = rng.choice([Channel.HOTLINE, Channel.WECHAT, Channel.WEB])
            created = writer.moment(day, channel)
        slug = rng.choices(list(categories), list(categories.values()))[0]
        situation = _situation(rng, slug, day.month)
        grid = grids[0] if i % 25 == 0 else rng.choice(grids)  # gridworker1's grid is busy enough to show
        if grid == grids[0] and day.weekday() < 5 and rng.random() < 0.4:
            channel = Channel.GRID_PATROL  # what they find on their rounds (their logs list these)
            created = writer.moment(day, channel) or created
        age = (now - created).total_seconds() / 86400
        plan = _plan(rng, age, situation, channel)
        drafts.append(
            writer.draft(category=slug, grid=grid, created=created, plan=plan, channel=channel, situation=situation)
        )
    return drafts


def _stories(writer):
    grid = writer.ctx["grids"][0]
    drafts = []
    for story in STORIES:
        created = writer.now - timedelta(days=story.days_ago)
        drafts.append(
            writer.draft(
                category=story.category, grid=grid, created=created, plan=story.plan, channel=story.channel, story=story
            )
        )
    return drafts


def tell(users, message, params, at, url, *, read_after=None):
    """The notification the services sent at that step (a registered message), dated then (read a little later,
    unless recent)."""
    with clock(at):
        created = notify(users=users, message=message, params=params, url=url, email=False)
    if read_after is not None:
        Notification.objects.filter(pk__in=[n.pk for n in created]).update(read_at=at + read_after)
    return created


def _notifications(writer, drafts):
    """What the demo accounts were told: residents each step of their needs, street and district staff their orders."""
    rng, now = writer.rng, writer.now
    recent = timedelta(days=2)
    for d in drafts:
        need = d.need
        if not need.submitted_by_id:
            continue
        for at, kind, _from, to, note, _actor in d.events:
            message = STEP.get(to) if kind == EventKind.STATUS else None
            if message is None:
                continue
            department = need.department if need.department_id else None
            params = {
                "title": need.title,
                "department": named(department),
                "project": "",
                "note": "" if department and note == department.name else str(note or ""),
            }
            read_after = None if now - at < recent else timedelta(hours=rng.uniform(0.5, 20))
            tell([need.submitted_by], message, params, at, need.get_absolute_url(), read_after=read_after)
    # Street and district staff hear of the supervision orders of the last month in their area.
    staff = {
        EscalationLevel.STREET: (writer.users["streetstaff1"], writer.ctx["streets"][0]),
        EscalationLevel.DISTRICT: (writer.users["districtstaff1"], writer.ctx["district"]),
    }
    for d in drafts:
        for level, region, _reason, issued, resolved in d.orders:
            user, area = staff[level]
            if region.pk == area.pk and now - issued < timedelta(days=30):
                params = {"title": d.need.title, **d.order_params[level]}
                url = d.need.get_absolute_url()
                tell([user], SUPERVISION_ORDER, params, issued, url, read_after=resolved and resolved - issued)


def _assign(writer, drafts):
    """gridworker1 follows up the open needs of their grid, as staff assign them."""
    grid, worker = writer.ctx["grids"][0], writer.users["gridworker1"]
    mine = [
        d for d in drafts if d.need.region_id == grid.pk and d.need.status in (S.SUBMITTED, S.ACCEPTED, S.DISPATCHED)
    ]
    for d in mine:
        need = d.need
        at = (need.accepted_at or need.created_at) + timedelta(minutes=20)
        if at > writer.now:
            continue
        Need.objects.filter(pk=need.pk).update(assignee=worker)
        note = _("Assigned to %(user)s.") % {"user": worker.public_name}
        NeedEvent.objects.create(need=need, kind=EventKind.NOTE, note=note, actor=writer.users["staff1"], created_at=at)
        tell(
            [worker],
            ASSIGNED,
            {"title": need.title},
            at,
            need.get_absolute_url(),
            read_after=None if writer.now - at < timedelta(days=1) else timedelta(hours=1),
        )


def _supports(writer, drafts):
    """council1 has the same broken street light as resident1: they joined her need instead of filing another."""
    story_needs = {d.story.title: d.need for d in drafts if d.story}
    need = story_needs["长春路与胜利路路口路灯不亮"]
    support = NeedSupport.objects.create(need=need, user=writer.users["council1"])
    at = need.created_at + timedelta(hours=5)
    NeedSupport.objects.filter(pk=support.pk).update(created_at=at)
    NeedEvent.objects.create(need=need, kind=EventKind.SUPPORTED, actor=writer.users["council1"], created_at=at)
    Need.objects.filter(pk=need.pk).update(supporters_count=2)


@demo_step(order=60, after=["portal.accounts.demo", "portal.organisations.demo"])
def load(ctx):
    if ServiceLevel.objects.count() == 0:
        ServiceLevel.objects.create(hours_to_accept=24, working_days_to_answer=5)
        ServiceLevel.objects.create(channel=Channel.HOTLINE, hours_to_accept=2, working_days_to_answer=3)
        ServiceLevel.objects.create(category=ctx["categories"]["safety"], hours_to_accept=4, working_days_to_answer=2)
    if Need.objects.exists():
        ctx["needs"] = Need.objects.count()
        return f"{ctx['needs']} needs (kept)"
    with translation.override(settings.LANGUAGE_CODE):
        writer = Writer(ctx)
        drafts = _year(writer) + _stories(writer)
        writer.save(drafts)
        _supports(writer, drafts)
        _assign(writer, drafts)
        _notifications(writer, drafts)
    ctx["needs"] = len(drafts)
    return f"{len(drafts)} needs"


@demo_step(order=136, after=["deliberation.councils.demo", "deliberation.topics.demo"])
def refer_to_councils(ctx):
    """Needs staff referred to a council become its topics: a few of the demo's referred needs (along with
    the topics' demo, whose residents and councils they join; nothing when the topics were kept)."""
    if "neighbours" not in ctx:
        return "referred needs' topics (kept)"
    staff, made = ctx["users"]["staff1"], 0
    with mock.patch.object(topic_services, "notify", partial(notify, email=False)):
        for need in Need.objects.filter(status=NeedStatus.REFERRED, topic__isnull=True).select_related("region")[:4]:
            candidates = topic_services.councils_for(need.region)
            if candidates:
                topic_services.topic_from_need(by=staff, need=need, council=candidates[0])
                made += 1
    return f"{made} topics from referred needs"


# The projects' demo is made of these needs; importing it registers its steps with the demo command.
from . import demo_projects  # noqa: E402, F401

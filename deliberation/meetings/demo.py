"""Demo meetings and votes: past meetings with minutes, decisions and follow-ups (one overdue), a hearing open
for registration and oversubscribed, an open online vote on a topic and a closed secret ballot with receipts;
meetings and votes in every status.

Councils: the councils demo's if present, otherwise created here with the slugs `street-council` (the
first street) and `hearing-centre` (the district).
"""

from datetime import date, timedelta
from functools import partial
from unittest import mock

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from deliberation.councils.models import Council, CouncilLevel, CouncilMember, MemberRole
from deliberation.topics import services as topic_services
from deliberation.topics.models import Topic
from deliberation.votes import services as vote_services
from deliberation.votes.models import BallotKind, ElectorateKind, QuestionKind, Threshold
from portal.accounts.models import Role, RoleAssignment, User
from portal.core.demo import DEMO_PASSWORD, clock, demo_step
from portal.notifications.services import notify
from portal.regions.models import subtree_q

from . import services
from .models import Meeting, MeetingKind

# Members of the street council without an account of their own (their votes are entered by staff).
OFFLINE_MEMBERS = [
    ("王秀英", MemberRole.RESIDENT_REPRESENTATIVE),
    ("李建国", MemberRole.PARTY_MEMBER),
    ("陈律师", MemberRole.EXPERT),
]
# Residents with accounts who take part in meetings and votes: username, name.
RESIDENTS = [
    ("jumin01", "刘淑芬"),
    ("jumin02", "杨志强"),
    ("jumin03", "周玉兰"),
    ("jumin04", "吴德明"),
    ("jumin05", "徐丽"),
    ("jumin06", "孙宏伟"),
    ("jumin07", "胡美华"),
    ("jumin08", "朱国庆"),
    ("jumin09", "高秀珍"),
    ("jumin10", "韩冬梅"),
    ("jumin11", "邓建国"),
    ("jumin12", "曹秀云"),
]


def _councils(ctx):
    """The street's council and the district hearing centre, as the councils demo made them."""
    community = ctx["communities"][0]
    street = community.get_parent()
    jia, _ = Council.objects.get_or_create(
        slug="street-council",
        defaults={
            "name": f"{street.name}议事协商会",
            "name_en": f"{street.name_en or 'Street'} Consultative Council",
            "level": CouncilLevel.STREET,
            "region": street,
            "description": "街道居民代表、社区书记、驻区单位和社会组织代表每月第二个周四议事。",
        },
    )
    district = ctx["district"]
    centre, _ = Council.objects.get_or_create(
        slug="hearing-centre",
        defaults={
            "name": f"{district.name}听证议事中心",
            "name_en": f"{district.name_en or 'District'} Hearing Centre",
            "level": CouncilLevel.HEARING_CENTRE,
            "region": district,
            "description": "涉及全区居民切身利益的事项在此公开听证。",
        },
    )
    return jia, centre


def _residents(ctx):
    password = make_password(DEMO_PASSWORD)
    community = ctx["communities"][0]
    people = []
    for username, name in RESIDENTS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.gongzhi.local", "display_name": name, "password": password},
        )
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        RoleAssignment.objects.update_or_create(
            user=user, role=Role.RESIDENT, region=community, defaults={"verified_at": timezone.now()}
        )
        people.append(user)
    return people


def _members(council, users, chair):
    since = date.today() - timedelta(days=400)
    CouncilMember.objects.get_or_create(
        council=council, user=chair, term_start=since, defaults={"name": chair.display_name, "role": MemberRole.CHAIR}
    )
    for user in users:
        CouncilMember.objects.get_or_create(
            council=council,
            user=user,
            term_start=since,
            defaults={"name": user.display_name, "role": MemberRole.RESIDENT_REPRESENTATIVE},
        )
    for name, role in OFFLINE_MEMBERS:
        CouncilMember.objects.get_or_create(council=council, name=name, defaults={"role": role, "term_start": since})


def _ago(days, hour=19):
    moment = timezone.localtime() - timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _past_listening(jia, staff, residents):
    """民情恳谈会, 40 days ago: minutes, decisions and three follow-ups (one overdue)."""
    today = timezone.localdate()  # read before the clocks below move it
    starts = _ago(40)
    with clock(starts - timedelta(days=15)):
        m = services.create_meeting(
            by=staff,
            council=jia,
            kind=MeetingKind.LISTENING,
            title="老旧小区楼道堆物整治恳谈会",
            description="近两个月网格员多次巡查发现楼道堆放纸箱、旧家具和电动车，存在消防隐患。请居民一起商量怎么清、清完怎么管。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="街道党群服务中心三楼会议室",
            capacity=30,
        )
        clean = services.add_agenda_item(
            by=staff, meeting=m, title="集中清理的时间和分工", description="物业、楼长和志愿者各负责哪几栋。"
        )
        keep = services.add_agenda_item(
            by=staff, meeting=m, title="清理后的长效管理", description="是否设立楼道公约，违规堆放怎么提醒。"
        )
        services.announce_meeting(by=staff, meeting=m)
    for user in residents[:6]:
        with clock(starts - timedelta(days=10)):
            services.register(by=user, meeting=m)
    with clock(starts - timedelta(days=1)):
        m = services.close_registration(by=staff, meeting=m)
    with clock(starts + timedelta(minutes=10)):
        for registration in m.registrations.filter(status="confirmed")[:5]:
            services.check_in(by=staff, meeting=m, registration=registration)
    with clock(starts + timedelta(hours=2)):
        m = services.hold_meeting(by=staff, meeting=m)
    with clock(starts + timedelta(days=1)):
        services.save_minutes(
            by=staff,
            meeting=m,
            body=(
                "<p>到会居民 5 人，物业公司、社区网格员列席。</p>"
                "<p>大家一致认为楼道堆物主要是<strong>旧家具没人收</strong>和<strong>电动车没地方充电</strong>。"
                "物业表示可以提供两次免费大件清运。</p>"
                "<ul><li>3 号楼、5 号楼问题最突出，先清；</li>"
                "<li>清出的物品先在东门空地放 3 天，有人认领的退回。</li></ul>"
            ),
            decisions={
                clean.pk: "本月最后一个周六上午集中清理，物业出车两辆，每栋楼长带两名志愿者。",
                keep.pk: "起草《楼道文明公约》，下次议事会表决；违规堆放先由楼长上门提醒。",
            },
        )
        services.add_follow_up(
            by=staff,
            meeting=m,
            agenda_item=clean,
            what="联系物业安排两次大件清运车辆",
            responsible="物业公司 王经理",
            due_on=(starts + timedelta(days=10)).date(),
        )
        services.add_follow_up(
            by=staff,
            meeting=m,
            agenda_item=keep,
            what="起草《楼道文明公约》征求意见稿",
            responsible="社区居委会 陈静",
            responsible_user=staff,
            due_on=(starts + timedelta(days=20)).date(),  # not done: overdue
        )
        services.add_follow_up(
            by=staff,
            meeting=m,
            agenda_item=keep,
            what="在 3 号楼试点安装电动车集中充电桩",
            responsible="街道城建科",
            due_on=today + timedelta(days=30),
        )
        services.publish_minutes(by=staff, meeting=m)
    with clock(starts + timedelta(days=9)):
        services.complete_follow_up(by=staff, action=m.follow_ups.get(what__startswith="联系物业"))
    return m


def _past_coordination_with_secret_vote(jia, staff, members):
    """事务协调会, 20 days ago: a secret ballot of the council's members, closed, with receipts."""
    today = timezone.localdate()
    starts = _ago(20, hour=14)
    with clock(starts - timedelta(days=10)):
        m = services.create_meeting(
            by=staff,
            council=jia,
            kind=MeetingKind.COORDINATION,
            title="东门口袋公园改造协调会",
            description="东门闲置空地改建口袋公园，物业、驻区单位和居民代表协调方案和分工。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="东门物业办公室",
            capacity=0,
        )
        item = services.add_agenda_item(by=staff, meeting=m, title="口袋公园设计方案（二选一）")
        services.announce_meeting(by=staff, meeting=m)
        m = services.close_registration(by=staff, meeting=m)
    with clock(starts):
        m = services.hold_meeting(by=staff, meeting=m)
        vote = vote_services.create_vote(
            by=staff,
            question="是否同意采用方案一（保留大树、增加儿童游乐区）？",
            kind=QuestionKind.FOR_AGAINST,
            electorate=ElectorateKind.MEMBERS,
            agenda_item=item,
            ballot=BallotKind.SECRET,
            quorum_percent=50,
            threshold=Threshold.SIMPLE,
        )
        vote = vote_services.open_vote(by=staff, vote=vote)
    options = {o.role: o.pk for o in vote.options.all()}
    receipts = []
    choices = ["for", "for", "against", "for", "abstain", "for"]
    for minute, (user, choice) in enumerate(zip(members, choices, strict=False)):
        with clock(starts + timedelta(minutes=5 + minute)):
            receipts.append(vote_services.cast_ballot(by=user, vote=vote, choices=[options[choice]]))
    offline = vote.electors.filter(user__isnull=True).order_by("name").first()
    with clock(starts + timedelta(minutes=20)):
        vote_services.record_paper_voter(by=staff, vote=vote, elector=offline)
        vote_services.close_paper_desk(by=staff, vote=vote)  # the box is entered as a batch once the desk closes
        vote_services.enter_paper_ballots(by=staff, vote=vote, batch=[([options["against"]], 1)])
        vote_services.close_vote(by=staff, vote=vote)
    with clock(starts + timedelta(days=2)):
        services.save_minutes(
            by=staff,
            meeting=m,
            body=(
                "<p>委员 7 人参加表决（其中 1 人纸质投票），方案一获通过。</p>"
                "<p>驻区单位承诺提供苗木，物业负责日常养护。</p>"
            ),
            decisions={item.pk: "采用方案一；施工期间东门临时改走北门，工期不超过 45 天。"},
        )
        services.add_follow_up(
            by=staff,
            meeting=m,
            agenda_item=item,
            what="公示施工方案和北门临时通行安排",
            responsible="社区居委会",
            due_on=today + timedelta(days=5),
        )
        services.publish_minutes(by=staff, meeting=m)
    return receipts


def _open_hearing(centre, staff, residents):
    """听证会 announced, registration open, more people registered than seats."""
    starts = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) + timedelta(days=21)
    with clock(timezone.now() - timedelta(days=3)):
        m = services.create_meeting(
            by=staff,
            council=centre,
            kind=MeetingKind.HEARING,
            title="生活垃圾分类定时定点投放听证会",
            description="拟将全区小区垃圾投放改为早 7–9 点、晚 18–21 点定时定点。听取居民、物业和环卫部门意见。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            place="区政务服务中心一楼听证厅",
            capacity=6,
            registration_closes_at=starts - timedelta(days=3),
        )
        services.add_agenda_item(by=staff, meeting=m, title="投放时段是否合适", description="上夜班的居民怎么办？")
        services.add_agenda_item(by=staff, meeting=m, title="督导员配备和经费来源")
        services.announce_meeting(by=staff, meeting=m)
    for i, user in enumerate(residents):
        with clock(timezone.now() - timedelta(days=2, hours=i)):
            services.register(by=user, meeting=m, purpose="speak" if i % 3 == 0 else "attend")
    services.register_for(by=staff, meeting=m, name="赵奶奶", phone="13904110000")
    return m


def _open_topic_vote(jia, staff, residents):
    """An online vote of the street's residents on a topic, open for another five days."""
    with clock(timezone.now() - timedelta(days=10)):
        topic, _ = Topic.objects.get_or_create(
            council=jia,
            title="小区夜间停车收费标准是否调整",
            defaults={
                "body": "物业提出夜间临时停车费由每晚 5 元调到 10 元，理由是外来车辆占位严重。请大家表决。",
                "region": jia.region,
                "proposed_by": residents[0],
            },
        )
    # Residents of the street supported it over a week until it reached the council's threshold (and was
    # queued for the council): only then may it be put to a vote.
    supporters = (
        RoleAssignment.objects.filter(subtree_q([jia.region]), role=Role.RESIDENT, verified_at__isnull=False)
        .exclude(user=topic.proposed_by)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    for i, user_id in enumerate(supporters[: jia.support_threshold]):
        with clock(timezone.now() - timedelta(days=9, hours=-i * 5)):
            topic = topic_services.support_topic(by=User.objects.get(pk=user_id), topic=topic)
    with clock(timezone.now() - timedelta(days=2)):
        vote = vote_services.create_vote(
            by=staff,
            question="是否同意夜间临时停车费调整为每晚 10 元？",
            kind=QuestionKind.FOR_AGAINST,
            electorate=ElectorateKind.RESIDENTS,
            topic=topic,
            quorum_count=5,
            threshold=Threshold.SIMPLE,
            allow_change=True,
            # Voting ends at 20:00 five days from today, after residents are home from work.
            closes_at=timezone.localtime().replace(hour=20, minute=0, second=0, microsecond=0) + timedelta(days=7),
        )
        vote = vote_services.open_vote(by=staff, vote=vote)
    options = {o.role: o.pk for o in vote.options.all()}
    for user, choice in zip(residents[:4], ["against", "for", "against", "abstain"], strict=False):
        vote_services.cast_ballot(by=user, vote=vote, choices=[options[choice]])
    return topic


def _other_statuses(jia, staff):
    soon = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
    services.create_meeting(
        by=staff,
        council=jia,
        kind=MeetingKind.ASSEMBLY,
        title="第三季度居民代表会议（筹备中）",
        description="审议《楼道文明公约》草案和下半年微实事项目清单。",
        starts_at=soon + timedelta(days=35),
        ends_at=soon + timedelta(days=35, hours=2),
        place="街道党群服务中心三楼会议室",
        capacity=40,
    )
    with clock(timezone.now() - timedelta(days=12)):
        evaluation = services.create_meeting(
            by=staff,
            council=jia,
            kind=MeetingKind.EVALUATION,
            title="“四点半课堂”项目成效评议会",
            description="由家长、学校和社工机构一起评议本学期课后托管服务。",
            starts_at=soon + timedelta(days=3),
            ends_at=soon + timedelta(days=3, hours=2),
            place="育才小学报告厅",
            capacity=0,
        )
        services.add_agenda_item(by=staff, meeting=evaluation, title="家长满意度调查结果")
        services.announce_meeting(by=staff, meeting=evaluation)
    services.close_registration(by=staff, meeting=evaluation)
    held_at = _ago(2, hour=15)
    with clock(held_at - timedelta(days=12)):
        held = services.create_meeting(
            by=staff,
            council=jia,
            kind=MeetingKind.COORDINATION,
            title="菜市场周边占道经营协调会",
            description="摊贩、城管中队和居民代表商量早市摆摊的时间和范围。",
            starts_at=held_at,
            ends_at=held_at + timedelta(hours=2),
            place="菜市场管理办公室",
            capacity=0,
        )
        services.add_agenda_item(by=staff, meeting=held, title="早市摆摊时段和范围")
        services.announce_meeting(by=staff, meeting=held)
        held = services.close_registration(by=staff, meeting=held)
    with clock(held_at + timedelta(hours=2)):
        services.hold_meeting(by=staff, meeting=held)  # its minutes are still being written
    with clock(timezone.now() - timedelta(days=14)):
        cancelled = services.create_meeting(
            by=staff,
            council=jia,
            kind=MeetingKind.LISTENING,
            title="广场舞噪音问题恳谈会",
            starts_at=soon + timedelta(days=1),
            ends_at=soon + timedelta(days=1, hours=2),
            place="文化广场东侧活动室",
            capacity=20,
        )
        item = services.add_agenda_item(by=staff, meeting=cancelled, title="跳舞时间和音量")
        draft_vote = vote_services.create_vote(
            by=staff,
            question="是否同意晚上 8 点半后停止播放音乐？",
            kind=QuestionKind.FOR_AGAINST,
            electorate=ElectorateKind.MEMBERS,
            agenda_item=item,
        )
        services.announce_meeting(by=staff, meeting=cancelled)
    vote_services.cancel_vote(by=staff, vote=draft_vote, reason="会议改期，表决随会议取消。")
    services.cancel_meeting(by=staff, meeting=cancelled, reason="活动室临时用作疫苗接种点，会议改期另行通知。")


@demo_step(order=150, after=["deliberation.councils.demo", "deliberation.topics.demo"])
def load(ctx):
    if Meeting.objects.exists():
        return f"{Meeting.objects.count()} meetings (kept)"
    users = ctx["users"]
    with (
        translation.override(settings.LANGUAGE_CODE),
        mock.patch.object(services, "notify", partial(notify, email=False)),
        mock.patch.object(vote_services, "notify", partial(notify, email=False)),
        mock.patch.object(topic_services, "notify", partial(notify, email=False)),
    ):
        jia, centre = _councils(ctx)
        residents = _residents(ctx)
        _members(jia, [users["council1"], *residents[:6]], chair=users["council1"])
        street_staff, district_staff = users["streetstaff1"], users["districtstaff1"]
        _past_listening(jia, street_staff, residents)
        receipts = _past_coordination_with_secret_vote(jia, street_staff, [users["council1"], *residents[:6]])
        _open_topic_vote(jia, street_staff, residents)
        _open_hearing(centre, district_staff, residents)
        _other_statuses(jia, street_staff)
    ctx["meeting_receipts"] = receipts
    return f"{Meeting.objects.count()} meetings; a closed secret ballot's receipts: {', '.join(receipts[:2])}…"

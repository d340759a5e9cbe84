"""Implementation and evaluation of the demo district's projects, replayed through the services.

Every project run by a verified organisation gets its milestones (signing and the residents' survey,
the mid-term review with the spending made public, completion and hand-over), each with the tranche
paid when staff approve it. Projects under way are caught at different points: one milestone paid and
the next awaiting approval, one sent back for a missing document, one overdue. Completed projects have
every tranche paid and a final report; residents rate them online while the window is open, and the
evaluated ones carry the paper sheets of their evaluation meeting (成效评议会), entered by staff.
"""

from datetime import datetime, time, timedelta
from functools import partial
from unittest import mock

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from marketplace.projects.models import FINISHED_STATUSES, Project, ProjectStatus
from portal.accounts.models import Role, RoleAssignment
from portal.core.demo import DEMO_PASSWORD, clock, demo_step
from portal.notifications.services import notify
from portal.organisations.models import MemberRole, Membership, VerificationStatus

from . import services
from .models import CRITERION_FIELDS, Evaluation, Milestone

P = ProjectStatus
User = get_user_model()

# (title, what is delivered, share of the budget paid on approval)
MILESTONES = (
    (
        "签订承接协议，完成服务对象入户摸底",
        "与街道签订承接协议；社工逐户走访，建立服务对象档案，形成需求评估报告。",
        30,
    ),
    (
        "服务过半：中期评估，经费使用情况张榜公示",
        "完成计划服务量的一半；邀请居民代表开展中期评估；在社区公开栏和平台公示经费明细。",
        40,
    ),
    (
        "服务期满：结项验收，资料归档",
        "完成全部服务量；提交结项报告、服务台账和财务决算；配合街道组织成效评议。",
        30,
    ),
)

REPORTS = (
    "已与街道签订承接协议。项目社工和志愿者分三组入户走访，共走访{n}户，建立服务对象档案，"
    "发现独居高龄、行动不便等重点对象，已列入优先服务名单。需求评估报告已报社区居委会。",
    "服务过半。按计划完成了上半期的服务量，居民代表11人参加中期评估会，提出的意见（服务时间、"
    "排队等候）已逐条答复并调整。经费明细已在社区公开栏和平台同步公示。",
    "服务期满，计划服务量全部完成。结项报告、服务台账、照片资料和财务决算已提交街道，"
    "剩余物资登记移交社区居委会管理。感谢居民和志愿者一年来的支持。",
)

REJECT_REASON = "中期评估会签到表和经费公示照片未上传，请补充后重新报送。"
APPROVE_NOTE = "经现场核验，服务台账与报告一致，同意拨付本期资金。"

# Paper sheets at evaluation meetings: (name, scores, comment)
SHEETS = (
    ("王秀英", (5, 5, 5, 5), "服务很贴心，社工每周都来看我们。"),
    ("李建国", (5, 4, 5, 4), "总体满意，希望明年接着办。"),
    ("张桂兰", (4, 5, 4, 5), "志愿者有耐心，账目公示得很清楚。"),
    ("刘福生", (5, 5, 4, 5), ""),
    ("陈淑珍", (4, 4, 4, 4), "周末能不能也开放？"),
    ("杨德明", (5, 5, 5, 4), "比以前方便多了。"),
    ("赵玉梅", (3, 4, 3, 4), "开始那两个月有点乱，后来好了。"),
    ("孙长海", (5, 4, 5, 5), ""),
)
ONLINE_COMMENTS = (
    "项目做得实在，楼里老人都说好。",
    "希望多搞几次，时间安排在晚上上班族也能参加。",
    "",
    "经费公示很透明，点赞。",
)

MEMBER_NAMES = ("郭晓燕", "韩志刚", "唐丽君", "冯海波", "曹文静", "彭立新", "蒋雪梅")


def _member(organisation, index, password):
    """A member of the implementing organisation who writes its reports (one is created if it has none)."""
    membership = Membership.objects.filter(organisation=organisation).select_related("user").order_by("pk").first()
    if membership is not None:
        return membership.user
    username = f"impl{organisation.pk}"
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.gongzhi.local",
            "display_name": MEMBER_NAMES[index % len(MEMBER_NAMES)],
            "password": password,
        },
    )
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    Membership.objects.get_or_create(organisation=organisation, user=user, defaults={"role": MemberRole.ADMIN})
    return user


def _spending(project, share):
    lines = list(project.budget_lines.all())
    return [
        {"budget_line": line, "amount": line.amount * share // 100, "note": "按进度支出"}
        for line in lines
        if line.amount * share // 100 > 0
    ]


def _moments(project, now):
    """When the work started and ended (or now, for a project still under way)."""
    start = (project.funded_at or now - timedelta(days=120)) + timedelta(days=7)
    end = project.completed_at or now
    if end - start < timedelta(days=30):
        start = end - timedelta(days=30)
    return start, end


def _run(project, member, staff, index, now):
    start, end = _moments(project, now)
    finished = project.status in FINISHED_STATUSES
    if finished:
        dues = [start + (end - start) * (k + 1) / len(MILESTONES) for k in range(len(MILESTONES))]
    else:  # the first step done, the second due about now (overdue for some), the last months away
        second = now - timedelta(days=6) if index % 3 == 2 else now + timedelta(days=10)
        dues = [start + (now - start) / 2, second, now + timedelta(days=150)]
    milestones = []
    with clock(start):
        for position, (title, description, share) in enumerate(MILESTONES):
            due = dues[position]
            milestones.append(
                services.plan_milestone(
                    by=member,
                    project=project,
                    title=title,
                    description=description,
                    due_on=timezone.localdate(due),
                    tranche_amount=project.budget * share // 100,
                )
            )
    for position, milestone in enumerate(milestones):
        due = timezone.make_aware(datetime.combine(milestone.due_on, time(10)))
        reported_at = due - timedelta(days=3 if (index + position) % 4 else -5)  # now and then late
        if not finished and position == 1 and index % 3 != 2:
            reported_at = now - timedelta(days=2, hours=index)  # the step under way, reported early
        if reported_at >= now or (not finished and position == 1 and index % 3 == 2):
            break  # not reported yet (overdue once its due date has passed)
        last = position == len(milestones) - 1
        with clock(reported_at):
            services.submit_report(
                by=member,
                project=project,
                milestone=milestone,
                body=REPORTS[position].format(n=project.beneficiary_count or 60),
                is_final=last and finished,
                spending=_spending(project, MILESTONES[position][2]),
            )
        decided_at = min(reported_at + timedelta(days=4), now - timedelta(hours=2))
        if not finished and position == 1:
            if index % 3 == 1:
                with clock(decided_at):
                    services.reject_milestone(by=staff, milestone=milestone, reason=REJECT_REASON)
            break  # awaiting approval (or sent back)
        with clock(decided_at):
            services.approve_milestone(by=staff, milestone=milestone, note=APPROVE_NOTE)
        with clock(min(decided_at + timedelta(days=6), now - timedelta(hours=1))):
            services.pay_tranche(
                by=staff, milestone=milestone, reference=f"西港财拨〔{decided_at:%Y}〕{project.pk:03d}-{position + 1}号"
            )
    return milestones


def _residents_of(project, limit=4):
    region = project.region
    assignments = RoleAssignment.objects.filter(role=Role.RESIDENT, verified_at__isnull=False).select_related(
        "region", "user"
    )
    return [
        a.user for a in assignments if a.region is not None and (a.region.contains(region) or region.contains(a.region))
    ][:limit]


def _evaluate(project, staff, now):
    if project.status == P.COMPLETED:
        with clock(now - timedelta(days=3)):
            services.open_evaluation(by=staff, project=project, closes_at=now + timedelta(days=11))
        rated = 0
        for i, resident in enumerate(_residents_of(project)):
            if Membership.objects.filter(user=resident, organisation_id=project.implementer_id).exists():
                continue
            scores = dict(zip(CRITERION_FIELDS, SHEETS[i][1], strict=True))
            with clock(now - timedelta(days=2, hours=i)):
                services.rate_project(by=resident, project=project, scores=scores, comment=ONLINE_COMMENTS[i % 4])
            rated += 1
        if not rated:  # nobody of the region rates online yet: the evaluation meeting's first sheets
            _paper(project, staff, SHEETS[:5], now - timedelta(days=1), now)
    elif project.status == P.EVALUATED:
        _paper(project, staff, SHEETS, (project.completed_at or now) + timedelta(days=10), now)


def _paper(project, staff, sheets, when, now):
    for i, (name, values, comment) in enumerate(sheets):
        scores = dict(zip(CRITERION_FIELDS, values, strict=True))
        with clock(min(when + timedelta(minutes=5 * i), now - timedelta(hours=1))):
            services.enter_paper_rating(by=staff, project=project, scores=scores, comment=comment, paper_name=name)


def _implementers(staff):
    """Projects the district ran before the platform knew their implementer: the organisation their
    description names (由…承接) becomes it, through the projects' own edit service."""
    from marketplace.projects.services import update_project
    from portal.organisations.models import Organisation, OrganisationKind

    ngos = list(Organisation.objects.filter(kind=OrganisationKind.NGO, verification_status=VerificationStatus.VERIFIED))
    for project in Project.objects.filter(implementer__isnull=True, status__in=(P.IN_PROGRESS, *FINISHED_STATUSES)):
        text = project.summary + project.description
        named = next((o for o in ngos if o.name.removeprefix("西港区") in text), None)
        if named is not None:
            update_project(by=staff, project=project, implementer=named)


@demo_step(order=140, after=["marketplace.needs.demo_projects", "marketplace.adoptions.demo"])
def load(ctx):
    if Milestone.objects.exists() or Evaluation.objects.exists():
        return f"{Milestone.objects.count()} milestones, {Evaluation.objects.count()} ratings (kept)"
    now = timezone.now()
    staff = ctx["users"]["districtstaff1"]
    password = make_password(DEMO_PASSWORD)
    projects = (
        Project.objects.filter(
            implementer__verification_status=VerificationStatus.VERIFIED,
            status__in=(P.FUNDED, P.IN_PROGRESS, P.COMPLETED, P.EVALUATED),
        )
        .select_related("implementer", "region")
        .order_by("pk")
    )
    running = (P.FUNDED, P.IN_PROGRESS, P.COMPLETED, P.EVALUATED)  # the demo replays finished projects' past
    with (
        translation.override(settings.LANGUAGE_CODE),
        mock.patch.object(services, "notify", partial(notify, email=False)),
        mock.patch.object(services, "IMPLEMENTATION_STATUSES", running),
        mock.patch.object(services, "REPORTING_STATUSES", running),
    ):
        _implementers(staff)
        for index, project in enumerate(projects):
            member = _member(project.implementer, index, password)
            _run(project, member, staff, index, now)
            _evaluate(project, staff, now)
    return f"{Milestone.objects.count()} milestones, {Evaluation.objects.count()} ratings"

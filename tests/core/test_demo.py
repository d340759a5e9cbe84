"""The demo district: its shape, and data a newcomer believes.

Loading the demo takes a while, so one test loads it once and checks each part in turn;
the last part loads it again and checks nothing changed.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from marketplace.gridlogs.models import GridLog, Issue
from marketplace.needs import demo_texts
from marketplace.needs.models import Channel, EventKind, Need, NeedEvent, NeedStatus, SupervisionOrder
from marketplace.projects.models import FUNDED_STATUSES, Project, ProjectStatus
from marketplace.reports.models import DailyReport
from portal.accounts.demo import ACCOUNTS
from portal.accounts.models import User
from portal.accounts.roles import in_scope
from portal.core.demo import DEMO_PASSWORD
from portal.core.models import TimelineEvent
from portal.notifications.models import Notification
from portal.organisations.models import Organisation, OrganisationKind
from portal.regions.models import Region, RegionLevel

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
S = NeedStatus


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_district_is_believable(demo_district, db):
    assert demo_district.facts["emails_sent"] == 0  # the demo tells its accounts in the app only
    the_district_has_the_shape_of_the_seeds()
    every_demo_account_logs_in()
    staff_scope_follows_the_streets()
    needs_are_written_by_people_not_templates()
    needs_come_in_every_status_with_consistent_steps()
    dispatched_needs_went_to_the_department_that_handles_them()
    overdue_needs_are_supervised()
    projects_have_their_own_titles_and_every_status()
    gifts_add_up_in_the_ledger()
    the_daily_report_covers_the_last_30_days()
    demo_accounts_have_notifications_and_grid_logs()
    councils_have_topics_in_every_status_and_a_moderated_discussion()
    loading_again_changes_nothing()


def the_district_has_the_shape_of_the_seeds():
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert counts == {"district": 1, "street": 7, "community": 45, "grid": 120, "sub_grid": 532}
    assert Region.find_problems() == ([], [], [], [], [])
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT)
    assert all(d.is_verified for d in departments)
    # Every category has a department answering it.
    assert departments.values("categories").distinct().count() == 12


def every_demo_account_logs_in():
    for username in [a[0] for a in ACCOUNTS] + ["admin"]:
        client = Client()
        response = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, (username, response.content.decode()[:500])
        assert client.get("/api/v1/me/").json()["username"] == username


def staff_scope_follows_the_streets():
    street_staff = User.objects.get(username="streetstaff1")
    first, second = Region.objects.filter(level=RegionLevel.STREET).order_by("code")[:2]
    assert in_scope(street_staff, first) and not in_scope(street_staff, second)


def needs_are_written_by_people_not_templates():
    needs = Need.objects.all()
    assert needs.count() >= 3000
    titles = Counter(needs.values_list("title", flat=True))
    assert len(titles) >= 0.99 * needs.count(), titles.most_common(5)
    assert titles.most_common(1)[0][1] <= 2
    descriptions = Counter(needs.values_list("description", flat=True))
    assert len(descriptions) >= 0.8 * needs.count(), descriptions.most_common(3)
    # Every situation turns up, in more than one category's worth of places.
    assert needs.values("region").distinct().count() == 120
    assert needs.values("category").distinct().count() == 12
    # Hotline tickets carry their number and a caller; grid workers' patrol notes name the grid worker.
    hotline = needs.filter(channel=Channel.HOTLINE)
    assert hotline.filter(external_ref="").count() == 0
    assert hotline.exclude(contact_phone="").count() == hotline.count()
    assert hotline.filter(external_ref__startswith="DL12345-").exists()
    assert hotline.filter(external_ref__startswith="XG365-").exists()
    assert not needs.filter(channel=Channel.GRID_PATROL, contact_name="").exists()
    # Closed needs carry the department's own answer, and some residents said something with their rating.
    closed = needs.filter(status=S.CLOSED, department__isnull=False)
    assert not closed.filter(answer="").exists()
    assert closed.values("answer").distinct().count() > 1000
    assert closed.exclude(rating_comment="").count() > 300
    # Spread over a year, busier lately.
    now = timezone.now()
    assert needs.filter(created_at__lt=now - timedelta(days=330)).exists()
    assert not needs.filter(created_at__gt=now).exists()


def needs_come_in_every_status_with_consistent_steps():
    statuses = set(Need.objects.values_list("status", flat=True))
    # A follow-up closes or reopens the need at once: nothing rests "followed up".
    assert statuses == set(S.values) - {S.FOLLOWED_UP}
    needs = Need.objects.all()
    assert not needs.filter(status=S.CLOSED, closed_at=None).exists()
    assert not needs.filter(status__in=[S.ANSWERED, S.CLOSED], department__isnull=False, answered_at=None).exists()
    assert not needs.filter(status=S.DISPATCHED, department=None).exists()
    assert not needs.filter(status=S.MERGED, project=None).exists()
    assert needs.filter(reopened_count=1, status=S.CLOSED).exists()
    for need in needs.filter(status=S.CLOSED, department__isnull=False)[:50]:
        assert need.created_at <= need.accepted_at <= need.dispatched_at <= need.answered_at <= need.closed_at
        assert 1 <= need.rating <= 5
    # Each need's timeline ends where the need is.
    for need in needs.order_by("?")[:200]:
        last = NeedEvent.objects.filter(need=need, kind=EventKind.STATUS).order_by("created_at", "pk").last()
        assert last.to_status == need.status, need.pk


def dispatched_needs_went_to_the_department_that_handles_them():
    dispatched = Need.objects.exclude(department=None).select_related("category", "department")
    assert dispatched.values("department").distinct().count() == 8
    misfits = [
        (n.pk, n.category.slug, n.department.name)
        for n in dispatched
        if not n.department.categories.filter(pk=n.category_id).exists()
    ]
    assert misfits == []
    assert not dispatched.filter(
        category__slug__in=["housing", "property"], department__name="西港区卫生健康局"
    ).exists()
    assert not dispatched.filter(category__slug="health").exclude(department__name="西港区卫生健康局").exists()


def overdue_needs_are_supervised():
    overdue = Need.objects.filter(is_overdue=True)
    assert 5 <= overdue.count() <= 150
    assert set(overdue.values_list("status", flat=True)) <= {S.SUBMITTED, S.DISPATCHED}
    assert not overdue.filter(escalation_level="").exists()
    assert SupervisionOrder.objects.filter(resolved_at=None).count() >= overdue.count()
    # Late answers were supervised until answered.
    assert SupervisionOrder.objects.exclude(resolved_at=None).exists()


def projects_have_their_own_titles_and_every_status():
    projects = Project.objects.all()
    assert not projects.filter(title__contains="合并项目").exists()
    assert projects.values("title").distinct().count() == projects.count()
    counts = Counter(projects.values_list("status", flat=True))
    assert set(counts) == set(ProjectStatus.values)
    assert 1 <= counts[ProjectStatus.DRAFT] <= 3
    assert all(counts[s] >= 2 for s in ProjectStatus.values)
    for project in projects:
        assert len(project.summary) > 60 and project.beneficiaries and project.beneficiary_count, project.title
        assert project.needs.count() >= 4, project.title  # built from residents' needs
        moves = list(
            TimelineEvent.objects.filter(content_type__model="project", object_id=project.pk)
            .order_by("created_at", "pk")
            .values_list("to_status", flat=True)
        )
        assert moves[0] == ProjectStatus.DRAFT and moves[-1] == project.status, (project.title, moves)
    for project in projects.filter(status__in=FUNDED_STATUSES):
        assert project.amount_raised == project.budget
        assert project.published_at < project.funded_at
    for project in projects.filter(status__in=[ProjectStatus.COMPLETED, ProjectStatus.EVALUATED]):
        assert project.funded_at < project.completed_at
        assert not project.needs.exclude(status=S.CLOSED).exists()  # completing a project closes its needs
    assert not projects.filter(status=ProjectStatus.DRAFT).exclude(published_at=None).exists()


def gifts_add_up_in_the_ledger():
    from marketplace.funding import ledger
    from marketplace.funding.models import Payment, PaymentStatus, Receipt

    assert ledger.verify() is None
    for project in Project.objects.all():
        assert project.amount_raised == ledger.project_sum(project), project.title
    statuses = set(Payment.objects.values_list("status", flat=True))
    assert {PaymentStatus.PENDING, PaymentStatus.CONFIRMED, PaymentStatus.REFUNDED} <= statuses
    assert set(Payment.objects.values_list("provider", flat=True)) == {"offline", "stripe"}
    assert Receipt.objects.exists()
    # A project past its deadline: one donor's choice waiting, one gift moved to another project.
    from marketplace.funding.models import DeadlineChoice, EntryKind, LedgerEntry

    assert DeadlineChoice.objects.filter(status="pending").count() == 1
    assert DeadlineChoice.objects.filter(status="moved").count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.REALLOCATION).count() == 2
    for year in set(Receipt.objects.values_list("year", flat=True)):
        numbers = sorted(Receipt.objects.filter(year=year).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))  # no gaps within a year


def the_daily_report_covers_the_last_30_days():
    today = timezone.localdate()
    days = [today - timedelta(days=n) for n in range(1, 31)]
    reports = {r.date: r for r in DailyReport.objects.filter(date__in=days)}
    assert sorted(reports) == sorted(days)
    for report in reports.values():
        assert report.data["totals"]["new"] > 0, report.date
        assert report.data["top_words"], report.date
        assert report.data["rates"]["overall"]["satisfaction"]["rate"] is not None
    assert len({r.data["totals"]["new"] for r in reports.values()}) > 5  # each day its own figures


def demo_accounts_have_notifications_and_grid_logs():
    resident = User.objects.get(username="resident1")
    mine = Notification.objects.filter(recipient=resident)
    assert mine.count() >= 10
    assert mine.filter(read_at=None).exists() and mine.exclude(read_at=None).exists()
    assert mine.values("created_at__date").distinct().count() > 5  # told as things happened, not all at once
    statuses = set(Need.objects.filter(submitted_by=resident).values_list("status", flat=True))
    assert {S.SUBMITTED, S.DISPATCHED, S.ANSWERED, S.CLOSED, S.MERGED, S.REJECTED} <= statuses
    for username in ["council1", "gridworker1", "streetstaff1", "districtstaff1"]:
        assert Notification.objects.filter(recipient__username=username).exists(), username
    logs = GridLog.objects.filter(author__username="gridworker1")
    assert logs.count() >= 15
    assert logs.values("summary").distinct().count() == logs.count()
    assert Issue.objects.filter(log__in=logs).exclude(need=None).exists()


def councils_have_topics_in_every_status_and_a_moderated_discussion():
    from deliberation.councils.models import Council, CouncilLevel
    from deliberation.topics.models import Support, Topic, TopicStatus
    from portal.comments.models import Comment, CommentStatus, Report

    assert set(Council.objects.values_list("level", flat=True)) == set(CouncilLevel.values)
    assert set(Topic.objects.values_list("status", flat=True)) == set(TopicStatus.values)
    titles = list(Topic.objects.values_list("title", flat=True))
    assert len(titles) == len(set(titles))
    assert Topic.objects.filter(source_need__isnull=False).exists()
    for topic in Topic.objects.all():
        assert topic.support_count == Support.objects.filter(topic=topic).count()
    hidden = Comment.objects.get(status=CommentStatus.HIDDEN)
    assert hidden.hidden_reason
    assert Report.objects.filter(resolved_at__isnull=True).exists()
    response = Client().get(Topic.objects.get(title="东门空地加装电动自行车充电桩").get_absolute_url())
    assert response.status_code == 200 and hidden.body not in response.content.decode()


def loading_again_changes_nothing():
    from deliberation.topics.models import Topic
    from portal.comments.models import Comment

    counted = (
        Region,
        Organisation,
        Need,
        NeedEvent,
        Project,
        Notification,
        GridLog,
        DailyReport,
        TimelineEvent,
        Topic,
        Comment,
    )
    before = {model.__name__: model.objects.count() for model in counted}
    projects = dict(Project.objects.values_list("pk", "updated_at"))
    load_demo()
    assert {model.__name__: model.objects.count() for model in counted} == before
    assert dict(Project.objects.values_list("pk", "updated_at")) == projects


def test_situations_keep_their_variants_whole():
    """Every variant of every situation has a title, a fact, an ask and an answer of its own."""
    for category, situations in demo_texts.SITUATIONS.items():
        for situation in situations:
            for variant in situation.variants:
                for part in ("titles", "facts", "asks", "answers"):
                    assert situation.lines(part, variant), (category, situation.key, variant, part)


def test_demo_data_is_refused_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("load_demo")

"""The funding deadline: donors of a project that did not make it choose a refund or another project;
the default (a refund) applies after FUNDING_DEADLINE_CHOICE_DAYS; every step is in the ledger."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from marketplace.funding import deadlines, intents, ledger, refunds
from marketplace.funding.models import (
    DeadlineChoice,
    DeadlineChoiceStatus,
    EntryKind,
    LedgerEntry,
    PaymentStatus,
)
from marketplace.funding.tasks import run_funding_deadlines_task
from marketplace.projects.models import Project, ProjectStatus
from marketplace.projects.services import move_project
from portal.notifications.models import Notification
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db
DC = DeadlineChoiceStatus


def _gift(people, project, fen, who=None, **pledge):
    payment = intents.pledge(by=who or people.resident, project=project, amount=fen, **pledge)
    return intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)


def _miss_deadline(project):
    Project.objects.filter(pk=project.pk).update(funding_deadline=timezone.now() - timedelta(hours=1))
    project.refresh_from_db()
    return project


@pytest.fixture
def missed(people, project):
    """The ¥1,000 project got ¥300 from the resident and ¥200 from the plain user, then missed its deadline."""
    first = _gift(people, project, 30_000)
    second = _gift(people, project, 20_000, who=people.plain)
    _miss_deadline(project)
    return first, second


@pytest.fixture
def other(tree):
    return published_project(tree.community_a1, target_yuan=2000, title="社区书屋添置图书")


def _total():
    return LedgerEntry.objects.aggregate(total=Sum("amount"))["total"]


def test_beat_job_asks_each_donor_once_when_the_deadline_passes(people, project, missed):
    Project.objects.filter(pk=project.pk).update(funding_deadline=None)
    pending = intents.pledge(by=people.council_member, project=project, amount=5_000)
    _miss_deadline(project)
    before = Notification.objects.filter(recipient=people.resident).count()
    assert run_funding_deadlines_task() == {"asked": 2, "refunded": 0}
    assert run_funding_deadlines_task() == {"asked": 0, "refunded": 0}  # twice: nothing twice
    choices = DeadlineChoice.objects.order_by("payment_id")
    assert [(c.payment_id, c.amount, c.status) for c in choices] == [
        (missed[0].pk, 30_000, DC.PENDING),
        (missed[1].pk, 20_000, DC.PENDING),
    ]
    assert not DeadlineChoice.objects.filter(payment=pending).exists()  # not counted: nothing to choose
    days = (choices[0].choose_by - timezone.now()).days
    assert days in (13, 14)
    assert Notification.objects.filter(recipient=people.resident).count() == before + 1
    note = Notification.objects.filter(recipient=people.resident).latest("pk")
    assert note.url == choices[0].get_absolute_url()


def test_projects_before_their_deadline_or_fully_funded_are_left_alone(people, tree, project):
    _gift(people, project, 30_000)
    funded = published_project(tree.community_a1, target_yuan=100, title="楼道灯更换")
    _gift(people, funded, 10_000)
    _miss_deadline(funded)
    assert deadlines.open_deadline_choices() == 0


def test_donor_chooses_a_refund_on_the_page(people, project, missed, client_for):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    page = client_for(people.resident).get(choice.get_absolute_url())
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    answer = client_for(people.resident).post(choice.get_absolute_url(), {"option": "refund"})
    assert answer.status_code == 302
    choice.refresh_from_db()
    payment = choice.payment
    payment.refresh_from_db()
    project.refresh_from_db()
    assert choice.status == DC.REFUNDED and not choice.by_default and choice.decided_by == people.resident
    assert payment.status == PaymentStatus.REFUNDED and payment.accepted_amount == 0
    assert payment.to_return == 30_000  # offline: the office hands it back
    assert project.amount_raised == 20_000 == ledger.project_sum(project)
    assert payment.ledger_entries.filter(kind=EntryKind.REFUND, amount=-30_000).exists()
    # Refunded in full: the receipt is void, its number still used.
    assert payment.receipt.is_void and payment.receipt.number == 1
    # The region's staff get the task of handing the money back.
    assert Notification.objects.filter(recipient=people.community_staff, url=payment.get_absolute_url()).exists()
    # A second POST (a double click) changes nothing.
    client_for(people.resident).post(choice.get_absolute_url(), {"option": "refund"})
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert ledger.verify() is None


def test_donor_moves_a_gift_to_another_open_project(people, project, missed, other, client_for):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    total_before, count_before = _total(), LedgerEntry.objects.count()
    answer = client_for(people.resident).post(choice.get_absolute_url(), {"option": "move", "project": other.pk})
    assert answer.status_code == 302
    choice.refresh_from_db()
    payment = choice.payment
    payment.refresh_from_db()
    project.refresh_from_db()
    other.refresh_from_db()
    assert choice.status == DC.MOVED and choice.moved_to == other
    assert payment.project == other and payment.accepted_amount == 30_000
    assert payment.status == PaymentStatus.CONFIRMED and not payment.receipt.is_void
    new = list(LedgerEntry.objects.order_by("sequence")[count_before:])
    assert [(e.kind, e.project_id, e.amount) for e in new] == [
        (EntryKind.REALLOCATION, project.pk, -30_000),
        (EntryKind.REALLOCATION, other.pk, 30_000),
    ]
    assert _total() == total_before  # the books' total is unchanged by a move
    assert project.amount_raised == 20_000 == ledger.project_sum(project)
    assert other.amount_raised == 30_000 == ledger.project_sum(other)
    assert ledger.verify() is None
    # The moved gift is not asked about again: the old project's choice is made, the new one is open.
    assert deadlines.open_deadline_choices() == 0


def test_a_move_gives_the_new_project_only_what_it_needs(people, tree, project, missed):
    small = published_project(tree.community_a1, target_yuan=250, title="小区长椅修补")
    _gift(people, small, 15_000, who=people.council_member)  # ¥100 still needed
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    deadlines.choose_for_gift(by=people.resident, choice=choice, option="move", target=small)
    payment = choice.payment
    payment.refresh_from_db()
    small.refresh_from_db()
    assert (payment.accepted_amount, payment.refunded_amount) == (10_000, 20_000)
    assert payment.status == PaymentStatus.PARTIALLY_REFUNDED and payment.project == small
    assert small.status == ProjectStatus.FUNDED and small.amount_raised == 25_000
    assert ledger.verify() is None


@pytest.mark.parametrize("which", ["same", "funded", "missed", "draft"])
def test_a_gift_cannot_move_to_a_project_that_is_not_open(people, tree, project, missed, client_for, which):
    if which == "same":
        target = project
    else:
        target = published_project(tree.community_a1, target_yuan=100, title="不开放的项目")
        if which == "funded":
            _gift(people, target, 10_000)
        elif which == "missed":
            _miss_deadline(target)
        else:
            Project.objects.filter(pk=target.pk).update(status=ProjectStatus.DRAFT)
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    count = LedgerEntry.objects.count()
    answer = client_for(people.resident).post(choice.get_absolute_url(), {"option": "move", "project": target.pk})
    assert answer.status_code == 200  # the form again, with the problem
    choice.refresh_from_db()
    assert choice.status == DC.PENDING and LedgerEntry.objects.count() == count


def test_unanswered_choices_are_refunded_by_default_once(people, project, missed, settings):
    settings.FUNDING_DEADLINE_CHOICE_DAYS = 3
    deadlines.open_deadline_choices()
    assert deadlines.apply_deadline_defaults() == 0  # not yet
    later = timezone.now() + timedelta(days=3, minutes=1)
    assert deadlines.run_funding_deadlines(now=later) == {"asked": 0, "refunded": 2}
    assert deadlines.run_funding_deadlines(now=later) == {"asked": 0, "refunded": 0}
    assert set(DeadlineChoice.objects.values_list("status", "by_default")) == {(DC.REFUNDED, True)}
    project.refresh_from_db()
    assert project.amount_raised == 0 == ledger.project_sum(project)
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND).count() == 2
    assert ledger.verify() is None


def test_a_choice_made_is_not_changed(people, project, missed, other):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    deadlines.choose_for_gift(by=people.resident, choice=choice, option="refund")
    from portal.core.errors import DomainError

    with pytest.raises(DomainError):
        deadlines.choose_for_gift(by=people.resident, choice=choice, option="move", target=other)


@pytest.mark.parametrize("who", ["anonymous", "plain", "community_staff", "street_staff_b", "donor"])
def test_only_the_gifts_donor_may_choose(people, project, missed, client_for, api_for, who):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])  # the resident's
    user = getattr(people, who)
    page = client_for(user).post(choice.get_absolute_url(), {"option": "refund"})
    assert page.status_code in (302, 403)
    if page.status_code == 302:
        assert "/accounts/login/" in page["Location"]
    api = api_for(user).post(f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "refund"}, format="json")
    assert api.status_code in (401, 403, 404)
    choice.refresh_from_db()
    assert choice.status == DC.PENDING


def test_staff_of_the_area_see_the_choice_but_others_do_not(people, project, missed, client_for):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    assert client_for(people.community_staff).get(choice.get_absolute_url()).status_code == 200
    assert client_for(people.street_staff_b).get(choice.get_absolute_url()).status_code == 403
    assert client_for(people.plain).get(choice.get_absolute_url()).status_code == 403


def test_api_choose_moves_the_gift_and_is_in_the_schema(people, project, missed, other, api_for):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    api = api_for(people.resident)
    listed = api.get("/api/v1/deadline-choices/").json()
    assert [c["id"] for c in listed["results"]] == [choice.pk]
    assert api_for(people.council_member).get("/api/v1/deadline-choices/").json()["results"] == []
    bad = api.post(f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "move"}, format="json")
    assert bad.status_code == 400
    answer = api.post(
        f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "move", "project": other.pk}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "moved" and answer.json()["moved_to"] == other.pk
    closed = api.post(f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "refund"}, format="json")
    assert closed.status_code in (400, 409)
    schema = api_for(None).get("/api/schema/")
    assert "/api/v1/deadline-choices/{id}/choose/" in schema.content.decode()


def test_withdrawing_a_project_cancels_its_waiting_pledges_and_asks_about_counted_gifts(people, project):
    counted = _gift(people, project, 30_000)
    waiting = intents.pledge(by=people.plain, project=project, amount=5_000)
    move_project(by=people.community_staff, project=project, to=ProjectStatus.WITHDRAWN)
    waiting.refresh_from_db()
    assert waiting.status == PaymentStatus.CANCELLED
    assert Notification.objects.filter(recipient=people.plain, url=waiting.get_absolute_url()).exists()
    assert deadlines.open_deadline_choices() == 1
    assert DeadlineChoice.objects.get().payment == counted


def test_staff_record_the_office_handing_the_money_back(people, project, missed, client_for, api_for):
    deadlines.open_deadline_choices()
    choice = DeadlineChoice.objects.get(payment=missed[0])
    deadlines.choose_for_gift(by=people.resident, choice=choice, option="refund")
    payment = choice.payment
    queue = client_for(people.community_staff).get("/funding/queue/")
    assert payment.get_absolute_url() in queue.content.decode()
    refused = api_for(people.resident).post(
        f"/api/v1/payments/{payment.pk}/return/", {"reference": "自己说的"}, format="json"
    )
    assert refused.status_code in (403, 404)
    answer = client_for(people.community_staff).post(
        f"/funding/payments/{payment.pk}/return/", {"return-reference": "现金退回 签收单 0012"}
    )
    assert answer.status_code == 302
    payment.refresh_from_db()
    assert payment.to_return == 0 and payment.returned_amount == 30_000
    assert payment.returned_reference == "现金退回 签收单 0012"
    again = api_for(people.community_staff).post(
        f"/api/v1/payments/{payment.pk}/return/", {"reference": "x"}, format="json"
    )
    assert again.status_code == 400  # nothing left to hand back


def test_a_staff_refund_of_an_offline_gift_is_handed_back_as_it_is_recorded(people, project):
    gift = _gift(people, project, 30_000)
    gift = refunds.refund_gift(by=people.community_staff, payment=gift, amount=10_000, note="现金退回 签收")
    assert gift.to_return == 0 and gift.returned_amount == 10_000

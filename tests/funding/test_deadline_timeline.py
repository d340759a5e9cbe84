"""The deadline job closes a project's unanswered choices at once (`Workflow.move_many`), each on its timeline."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from marketplace.funding import deadlines, ledger
from marketplace.funding.models import DeadlineChoice, DeadlineChoiceStatus, Payment
from portal.core import events
from portal.core.models import TimelineEvent
from tests.funding.test_deadlines import missed  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db
DC = DeadlineChoiceStatus


def _timeline(obj):
    return list(
        TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id")
    )


def test_default_refunds_leave_a_timeline_entry_and_an_event_per_choice(people, project, missed, settings):  # noqa: F811
    settings.FUNDING_DEADLINE_CHOICE_DAYS = 3
    deadlines.open_deadline_choices()
    heard = []
    events.subscribe("status.moved", heard.append)
    try:
        assert deadlines.apply_deadline_defaults(timezone.now() + timedelta(days=3, minutes=1)) == 2
    finally:
        events.unsubscribe("status.moved", heard.append)
    choices = list(DeadlineChoice.objects.order_by("pk"))
    assert [(c.status, c.by_default, c.decided_by_id) for c in choices] == [(DC.REFUNDED, True, None)] * 2
    for choice in choices:
        assert _timeline(choice) == [("", DC.PENDING, None), (DC.PENDING, DC.REFUNDED, None)]
    moved = {(e.label, e.pk, e.data["to_status"]) for e in heard}
    assert {("funding.deadlinechoice", c.pk, DC.REFUNDED) for c in choices} <= moved
    assert ledger.verify() is None


def test_a_project_whose_refund_fails_keeps_all_its_choices_open_for_the_next_run(people, project, missed, settings):  # noqa: F811
    settings.FUNDING_DEADLINE_CHOICE_DAYS = 3
    deadlines.open_deadline_choices()
    later = timezone.now() + timedelta(days=3, minutes=1)
    real = deadlines.take_back
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["payment"].pk)
        if len(calls) == 2:
            raise RuntimeError("the ledger is busy")
        return real(**kwargs)

    with mock.patch.object(deadlines, "take_back", second_fails):
        assert deadlines.apply_deadline_defaults(later) == 0
    assert set(DeadlineChoice.objects.values_list("status", flat=True)) == {DC.PENDING}  # all or nothing
    assert not Payment.objects.filter(refunded_amount__gt=0).exists()
    assert deadlines.apply_deadline_defaults(later) == 2


def test_withdrawing_a_project_cancels_its_waiting_pledges_at_once_each_on_its_timeline(people, project):
    from marketplace.funding import intents
    from marketplace.funding.models import PaymentStatus
    from marketplace.projects.models import ProjectStatus
    from marketplace.projects.services import move_project

    pledges = [intents.pledge(by=who, project=project, amount=10_000) for who in (people.resident, people.plain)]
    move_project(by=people.community_staff, project=project, to=ProjectStatus.WITHDRAWN)
    for pledge in pledges:
        pledge.refresh_from_db()
        assert pledge.status == PaymentStatus.CANCELLED and pledge.cancelled_at is not None
        assert _timeline(pledge) == [
            ("", PaymentStatus.PENDING, pledge.donor_id),
            (PaymentStatus.PENDING, PaymentStatus.CANCELLED, None),
        ]

"""Ten donors' requests at once for one deadline choice (issue 19): on SQLite they wait for the write lock
(busy timeout, BEGIN IMMEDIATE) instead of failing with "database is locked", on PostgreSQL for the project's
row lock; exactly one choice wins and the nine others are refused with 409, never a 500.

Committing test (each thread must see the others' commits), so it lives with the other committing tests.
"""

from datetime import timedelta
from functools import partial

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from marketplace.funding import deadlines, intents, ledger
from marketplace.funding.models import DeadlineChoice, DeadlineChoiceStatus, EntryKind, LedgerEntry
from marketplace.projects.models import Project
from tests.e2e.concurrency import at_once
from tests.factories import build_tree, grant
from tests.factories.accounts import UserFactory
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _post(donor, url, data, answers):
    api = APIClient()
    api.force_authenticate(donor)
    answers.append(api.post(url, data, format="json").status_code)


def test_ten_parallel_choices_wait_for_each_other_and_one_wins():
    from portal.accounts.models import Role

    tree = build_tree()
    staff = grant(UserFactory(username="choicestaff"), Role.COMMUNITY_STAFF, tree.community_a1)
    donor = UserFactory(username="choicedonor")
    project = published_project(tree.community_a1, target_yuan=1000, title="没赶上的项目")
    payment = intents.confirm_offline(
        by=staff, payment=intents.pledge(by=donor, project=project, amount=30_000), reference="a", received_on=None
    )
    Project.objects.filter(pk=project.pk).update(funding_deadline=timezone.now() - timedelta(hours=1))
    deadlines.open_deadline_choices()
    choice = payment.deadline_choices.get()
    targets = [published_project(tree.community_a1, target_yuan=2000, title=f"去处{i}") for i in range(10)]
    url = f"/api/v1/deadline-choices/{choice.pk}/choose/"
    answers = []
    jobs = [partial(_post, donor, url, {"option": "move", "project": t.pk}, answers) for t in targets]
    errors, refused = at_once(jobs)
    assert not errors and not refused, (errors, refused)
    assert sorted(answers) == [200] + [409] * 9, answers
    choice = DeadlineChoice.objects.get(pk=choice.pk)
    assert choice.status == DeadlineChoiceStatus.MOVED and choice.moved_to_id in {t.pk for t in targets}
    assert LedgerEntry.objects.filter(kind=EntryKind.REALLOCATION).count() == 2
    assert ledger.verify() is None and not ledger.check_books()

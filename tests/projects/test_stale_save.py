"""Totals kept by their owners (the ledger's `amount_raised`, merging's `need_count`) survive saving a stale project."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from marketplace.funding import ledger
from marketplace.needs.services import merge_needs
from marketplace.projects.models import Project, ProjectStatus
from marketplace.projects.services import move_project
from tests.factories import NeedFactory
from tests.factories.pages import ProjectFactory
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _gift(people, project, fen):
    """An offline pledge confirmed by staff, through the API (the ledger writes the total with `.update()`)."""
    amount = f"{fen // 100}.{fen % 100:02d}"
    pledged = _api(people.resident).post(
        "/api/v1/payments/", {"provider": "offline", "project": project.pk, "amount": amount}, format="json"
    )
    assert pledged.status_code == 201, pledged.content
    confirmed = _api(people.street_staff).post(
        f"/api/v1/payments/{pledged.json()['id']}/confirm/",
        {"reference": "转账 8812", "received_on": str(datetime.date.today())},
        format="json",
    )
    assert confirmed.status_code == 200, confirmed.content


def test_saving_a_project_read_before_a_gift_keeps_the_gift(people, tree):
    project = published_project(tree.community_a1, target_yuan=100_000)
    stale = Project.objects.get(pk=project.pk)
    _gift(people, project, 100_000)
    assert stale.amount_raised == 0

    stale.summary = "改了说明"
    stale.save()
    project.refresh_from_db()
    assert project.summary == "改了说明"
    assert project.amount_raised == 100_000 == ledger.project_sum(project)
    assert ledger.verify() is None


def test_a_stale_project_with_deferred_fields_saves_what_it_loaded(people, tree, monkeypatch):
    project = published_project(tree.community_a1, target_yuan=100_000)
    stale = Project.objects.only("title").get(pk=project.pk)
    _gift(people, project, 50_000)
    stale.title = "新标题"
    monkeypatch.setattr("search.indexing._send", lambda names, pk: None)  # the index's task reads on its own
    with CaptureQueriesContext(connection) as queries:
        stale.save()
    assert len(queries) == 1  # one UPDATE: no deferred field read back
    project.refresh_from_db()
    assert project.title == "新标题" and project.amount_raised == 50_000


def test_a_status_move_of_a_stale_project_keeps_the_gift(people, tree):
    project = published_project(tree.community_a1, target_yuan=100_000)
    stale = Project.objects.get(pk=project.pk)
    _gift(people, project, 30_000)
    moved = move_project(by=people.community_staff, project=stale, to=ProjectStatus.WITHDRAWN)
    assert moved.status == ProjectStatus.WITHDRAWN
    stale.refresh_from_db()
    assert stale.amount_raised == 30_000 == ledger.project_sum(project)


def test_saving_a_project_read_before_a_merge_keeps_its_need_count(people, tree):
    project = published_project(tree.community_a1, target_yuan=1000)
    stale = Project.objects.get(pk=project.pk)
    merge_needs(by=people.community_staff, needs=NeedFactory.create_batch(2, region=tree.grid_a1), project=project)
    stale.beneficiaries = "楼里的老人"
    stale.save()
    project.refresh_from_db()
    assert project.need_count == 2 and project.beneficiaries == "楼里的老人"


def test_creating_writes_the_totals_and_naming_them_writes_them_again(tree):
    project = ProjectFactory(region=tree.district, amount_raised=2_500_000, need_count=3)
    project.refresh_from_db()
    assert (project.amount_raised, project.need_count) == (2_500_000, 3)
    project.amount_raised = 4_000_000
    project.save()
    project.refresh_from_db()
    assert project.amount_raised == 2_500_000  # an ordinary save leaves the ledger's total alone
    project.amount_raised = 4_000_000
    project.save(update_fields=["amount_raised"])  # on purpose (a repair, a test)
    project.refresh_from_db()
    assert project.amount_raised == 4_000_000

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.implementation import services
from marketplace.projects.models import BudgetLine, ProjectStatus
from portal.accounts.models import Role
from tests.factories.accounts import UserFactory, grant
from tests.factories.projects import published_project


@pytest.fixture
def project(people, tree):
    """A project under way in community A1, run by the NGO of street A, with two budget lines."""
    p = published_project(tree.community_a1, title="甲一社区长者助餐", budget=10_000_000)
    p.status = ProjectStatus.IN_PROGRESS
    p.implementer = people.ngo
    p.save()
    BudgetLine.objects.create(project=p, label="厨房设备", amount=4_000_000, position=0)
    BudgetLine.objects.create(project=p, label="餐费补贴", amount=6_000_000, position=1)
    return p


@pytest.fixture
def milestone(people, project):
    return services.plan_milestone(
        by=people.ngo_member,
        project=project,
        title="厨房改造完成，老年食堂开餐",
        due_on=timezone.localdate() + timedelta(days=10),
        tranche_amount=3_000_000,
    )


@pytest.fixture
def resident_b(tree):
    """A resident of street B: not of the project's region."""
    return grant(UserFactory(username="residentb"), Role.RESIDENT, tree.community_b1)


def photo(name="kitchen.png", color=(200, 80, 40)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


SCORES = {"score_results": 5, "score_service": 4, "score_timeliness": 4, "score_money": 5}


def complete_and_open(by, project, days=7):
    from marketplace.projects.services import move_project

    move_project(by=by, project=project, to=ProjectStatus.COMPLETED)
    project.refresh_from_db()
    return services.open_evaluation(by=by, project=project, closes_at=timezone.now() + timedelta(days=days))

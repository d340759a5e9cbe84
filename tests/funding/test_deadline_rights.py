"""The deadline choice is the donor's alone (issue 19): no superuser makes it for them; staff may apply the
default (a refund) on the donor's behalf, and that shows; refusals never name a project the caller cannot see.
Parallel choices: tests/e2e/test_deadline_choice_concurrency.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from marketplace.funding import deadlines, intents, ledger
from marketplace.funding.models import DeadlineChoiceStatus, EntryKind, LedgerEntry
from marketplace.projects.models import Project, ProjectStatus
from portal.audit.models import AuditEntry
from portal.core.transitions import NotPermitted
from tests.factories import UserFactory
from tests.factories.projects import published_project

DC = DeadlineChoiceStatus


def _gift(people, project, fen, who=None):
    payment = intents.pledge(by=who or people.resident, project=project, amount=fen)
    return intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)


def _open_choice(people, project):
    payment = _gift(people, project, 30_000)
    Project.objects.filter(pk=project.pk).update(funding_deadline=timezone.now() - timedelta(hours=1))
    deadlines.open_deadline_choices()
    return payment.deadline_choices.get()


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.mark.django_db
def test_a_superuser_cannot_make_the_donors_choice(people, project, superuser, client_for, api_for):
    choice = _open_choice(people, project)
    api = api_for(superuser).post(f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "refund"}, format="json")
    assert api.status_code == 403
    page = client_for(superuser).post(choice.get_absolute_url(), {"option": "refund"})
    assert page.status_code == 403
    assert 'name="option"' not in client_for(superuser).get(choice.get_absolute_url()).content.decode()
    with pytest.raises(NotPermitted):
        deadlines.choose_for_gift(by=superuser, choice=choice, option="refund")
    choice.refresh_from_db()
    assert choice.status == DC.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["community_staff", "superuser"])
def test_staff_apply_the_default_for_the_donor_and_it_shows(people, project, superuser, api_for, client_for, who):
    user = superuser if who == "superuser" else getattr(people, who)
    choice = _open_choice(people, project)
    answer = api_for(user).post(f"/api/v1/deadline-choices/{choice.pk}/apply_default/", format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "refunded" and answer.json()["by_default"] is True
    choice.refresh_from_db()
    assert (choice.status, choice.by_default, choice.decided_by) == (DC.REFUNDED, True, user)
    project.refresh_from_db()
    assert project.amount_raised == 0 == ledger.project_sum(project)
    assert LedgerEntry.objects.filter(kind=EntryKind.REFUND, project=project).count() == 1
    audit = AuditEntry.objects.filter(action="funding.deadline_default_applied").get()
    assert audit.actor == user and audit.target_id == str(choice.pk)
    for reader in (people.resident, people.community_staff):
        client = client_for(reader)
        client.cookies.load({"django_language": "en"})
        page = client.get(choice.get_absolute_url()).content.decode()
        assert "applied by staff as the default" in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["resident", "street_staff_b", "plain"])
def test_only_staff_of_the_area_apply_the_default(people, project, api_for, who):
    choice = _open_choice(people, project)
    answer = api_for(getattr(people, who)).post(f"/api/v1/deadline-choices/{choice.pk}/apply_default/", format="json")
    assert answer.status_code in (403, 404)
    choice.refresh_from_db()
    assert choice.status == DC.PENDING


@pytest.mark.django_db
def test_the_page_offers_staff_the_default_and_the_donor_the_choice(people, project, client_for):
    choice = _open_choice(people, project)
    staff = client_for(people.community_staff)
    assert 'name="option"' not in staff.get(choice.get_absolute_url()).content.decode()
    assert "apply_default" in staff.get(choice.get_absolute_url()).content.decode()
    assert staff.post(choice.get_absolute_url(), {"apply_default": "1"}).status_code == 302
    choice.refresh_from_db()
    assert choice.status == DC.REFUNDED and choice.by_default and choice.decided_by == people.community_staff


@pytest.mark.django_db
def test_a_refused_move_names_no_project_the_donor_cannot_see(people, tree, project, api_for):
    choice = _open_choice(people, project)
    hidden = published_project(tree.community_a1, target_yuan=500, title="尚未公开的秘密项目")
    Project.objects.filter(pk=hidden.pk).update(status=ProjectStatus.DRAFT)
    hidden.refresh_from_db()
    with pytest.raises(ValidationError) as refused:  # the service too, whatever reads the id
        deadlines.move_choice(by=people.resident, choice=choice, target=hidden)
    assert "尚未公开的秘密项目" not in str(refused.value) and "raft" not in str(refused.value)
    answer = api_for(people.resident).post(
        f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "move", "project": hidden.pk}, format="json"
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "尚未公开的秘密项目" not in text and "draft" not in text.lower() and "草稿" not in text
    for huge in ("9223372036854775808", "-1", "x"):
        answer = api_for(people.resident).post(
            f"/api/v1/deadline-choices/{choice.pk}/choose/", {"option": "move", "project": huge}, format="json"
        )
        assert answer.status_code == 400
    choice.refresh_from_db()
    assert choice.status == DC.PENDING

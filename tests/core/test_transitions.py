"""Every status in the project moves through the one workflow: every allowed move, every refused one."""

import pytest
from django.contrib.contenttypes.models import ContentType

from marketplace.needs import services as need_services
from marketplace.needs.models import TRANSITIONS as NEED_MOVES
from marketplace.needs.models import NeedEvent, NeedStatus
from marketplace.projects import services as project_services
from marketplace.projects.models import TRANSITIONS as PROJECT_MOVES
from marketplace.projects.models import Project, ProjectStatus
from portal.core.errors import TransitionNotAllowed
from portal.core.models import TimelineEvent
from portal.core.transitions import NotPermitted
from portal.notifications.models import Notification
from portal.organisations import services as organisation_services
from portal.organisations.models import VERIFICATION_TRANSITIONS, Organisation, VerificationStatus
from tests.factories import NeedFactory, OrganisationFactory, category

pytestmark = pytest.mark.django_db


def _pairs(table, statuses):
    return [(a, b) for a in statuses for b in statuses]


# --- needs ---------------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), _pairs(NEED_MOVES, NeedStatus.values))
def test_a_need_moves_exactly_as_its_table_says(people, tree, start, target):
    need = NeedFactory(region=tree.grid_a1, status=start, submitted_by=people.resident)
    workflow = need_services.workflow
    allowed = workflow.allows(start, target)
    events = NeedEvent.objects.filter(need=need).count()
    if start == target and not allowed:
        moved = workflow.move(need, to=target, by=people.community_staff)
        assert moved.status == start and NeedEvent.objects.filter(need=need).count() == events  # a no-op
    elif allowed:
        moved = workflow.move(need, to=target, by=people.community_staff, again=start == target)
        assert moved.status == target
        assert NeedEvent.objects.filter(need=need, from_status=start, to_status=target).count() == 1
    else:
        with pytest.raises(TransitionNotAllowed):
            workflow.move(need, to=target, by=people.community_staff)
        need.refresh_from_db()
        assert need.status == start


def test_a_replayed_action_is_a_no_op_with_one_event(people, tree):
    need = NeedFactory(region=tree.grid_a1, submitted_by=people.resident)
    for _ in range(3):
        need_services.accept_need(by=people.community_staff, need=need)
    assert NeedEvent.objects.filter(need=need, to_status=NeedStatus.ACCEPTED).count() == 1
    assert Notification.objects.filter(recipient=people.resident).count() == 1


def test_dispatching_a_new_need_is_one_move_one_event_one_message(people, tree, mailoutbox):
    need = need_services.submit_need(
        by=people.resident, title="楼道灯不亮", description="三单元", category=category(), region=tree.grid_a1
    )
    mailoutbox.clear()
    need = need_services.dispatch_need(by=people.community_staff, need=need, department=people.department)
    assert need.status == NeedStatus.DISPATCHED and need.accepted_at is not None
    assert list(NeedEvent.objects.filter(need=need).values_list("from_status", "to_status")) == [
        ("", NeedStatus.SUBMITTED),
        (NeedStatus.SUBMITTED, NeedStatus.DISPATCHED),
    ]
    assert Notification.objects.filter(recipient=people.resident).count() == 1
    assert len(mailoutbox) == 1


def test_handing_over_to_another_department_is_recorded_the_same_department_twice_is_not(people, tree):
    other = OrganisationFactory(kind="department", region=tree.district, name="住房和建设局")
    need = need_services.dispatch_need(
        by=people.community_staff, need=NeedFactory(region=tree.grid_a1), department=people.department
    )
    need_services.dispatch_need(by=people.community_staff, need=need, department=people.department)
    need = need_services.dispatch_need(by=people.community_staff, need=need, department=other)
    assert need.department == other
    assert NeedEvent.objects.filter(need=need, to_status=NeedStatus.DISPATCHED).count() == 2


def test_an_unsatisfied_resident_reopens_the_need_once(people, tree):
    need = NeedFactory(region=tree.grid_a1, status=NeedStatus.ANSWERED, submitted_by=people.resident)
    need = need_services.rate_need(by=people.resident, need=need, rating=1)
    assert need.status == NeedStatus.DISPATCHED and need.reopened_count == 1
    need = need_services.answer_need(by=people.community_staff, need=need, answer="再次处理")
    need = need_services.rate_need(by=people.resident, need=need, rating=2)
    assert need.status == NeedStatus.CLOSED  # not a second time
    moves = list(NeedEvent.objects.filter(need=need).values_list("to_status", flat=True))
    assert moves == [
        NeedStatus.FOLLOWED_UP,
        NeedStatus.DISPATCHED,
        NeedStatus.ANSWERED,
        NeedStatus.FOLLOWED_UP,
        NeedStatus.CLOSED,
    ]


def test_a_move_by_someone_without_the_right_is_refused(people, tree):
    need = NeedFactory(region=tree.grid_a1)
    with pytest.raises(NotPermitted):
        need_services.workflow.move(need, to=NeedStatus.ACCEPTED, by=people.street_staff_b, perm="needs.triage_need")
    need.refresh_from_db()
    assert need.status == NeedStatus.SUBMITTED


def test_staff_moves_are_audited(people, tree):
    from portal.audit.models import AuditEntry

    need = NeedFactory(region=tree.grid_a1)
    need_services.accept_need(by=people.community_staff, need=need)
    assert AuditEntry.objects.filter(action="need.accepted", target_id=str(need.pk)).exists()


# --- projects ------------------------------------------------------------------


def _project(tree, status):
    return Project.objects.create(title="春柳社区助餐", category=category(), region=tree.community_a1, status=status)


@pytest.mark.parametrize(("start", "target"), _pairs(PROJECT_MOVES, ProjectStatus.values))
def test_a_project_moves_exactly_as_its_table_says(people, tree, start, target):
    project = _project(tree, start)
    timeline = TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Project), object_id=project.pk
    )
    allowed = project_services.workflow.allows(start, target)
    if start == target:
        assert project_services.move_project(by=people.street_staff, project=project, to=target).status == start
        assert not timeline.exists()
    elif allowed:
        moved = project_services.move_project(by=people.street_staff, project=project, to=target)
        assert moved.status == target
        assert list(timeline.values_list("from_status", "to_status")) == [(start, target)]
    else:
        with pytest.raises(TransitionNotAllowed):
            project_services.move_project(by=people.street_staff, project=project, to=target)
        assert not timeline.exists()


def test_only_staff_of_the_projects_area_move_it(people, tree):
    project = _project(tree, ProjectStatus.DRAFT)
    for outsider in (people.street_staff_b, people.resident, people.ngo_member):
        with pytest.raises(NotPermitted):
            project_services.move_project(by=outsider, project=project, to=ProjectStatus.PUBLISHED)
    moved = project_services.move_project(by=people.community_staff, project=project, to=ProjectStatus.PUBLISHED)
    assert moved.published_at is not None


# --- organisations -------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), _pairs(VERIFICATION_TRANSITIONS, VerificationStatus.values))
def test_verification_moves_exactly_as_its_table_says(people, tree, start, target):
    organisation = OrganisationFactory(region=tree.street_a, verification_status=start)
    workflow = organisation_services.verification
    if start == target:
        assert workflow.move(organisation, to=target, by=people.street_staff).verification_status == start
    elif workflow.allows(start, target):
        moved = workflow.move(organisation, to=target, by=people.street_staff)
        assert moved.verification_status == target
        event = TimelineEvent.objects.get(object_id=organisation.pk, content_type__model="organisation")
        assert (event.from_status, event.to_status, str(event.to_label)) == (
            start,
            target,
            str(VerificationStatus(target).label),
        )
    else:
        with pytest.raises(TransitionNotAllowed):
            workflow.move(organisation, to=target, by=people.street_staff)
        assert Organisation.objects.get(pk=organisation.pk).verification_status == start

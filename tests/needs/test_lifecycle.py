import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from marketplace.needs import services
from marketplace.needs.models import Channel, Need, NeedStatus
from portal.accounts.models import Role
from portal.core.errors import DomainError, TransitionNotAllowed
from portal.notifications.models import Notification
from tests.factories import UserFactory, category, grant

pytestmark = pytest.mark.django_db
S = NeedStatus


@pytest.fixture
def need(people, tree):
    return services.submit_need(
        by=people.resident,
        title="小区路灯不亮",
        description="3号楼前的路灯坏了一个月",
        category=category(),
        region=tree.grid_a1,
        contact_phone="13800001111",
    )


def _dispatch(people, need):
    return services.dispatch_need(by=people.community_staff, need=need, department=people.department)


def test_the_whole_loop_is_on_the_timeline_and_notified(people, need, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept_need(by=people.community_staff, need=need)
        need = _dispatch(people, need)
        need = services.answer_need(by=people.department_officer, need=need, answer="已更换灯泡")
        need = services.rate_need(by=people.resident, need=need, rating=5, comment="很快")
    assert need.status == S.CLOSED and need.rating == 5
    steps = list(need.events.values_list("to_status", "actor__username"))
    assert steps == [
        ("submitted", "resident"),
        ("accepted", "communitystaff"),
        ("dispatched", "communitystaff"),
        ("answered", "deptofficer"),
        ("followed_up", "resident"),
        ("closed", None),
    ]
    titles = list(Notification.objects.filter(recipient=people.resident).values_list("title", flat=True))
    assert len(titles) == 4  # accepted, dispatched, answered, closed
    assert len([m for m in mail.outbox if m.to == [people.resident.email]]) == 4


def test_a_low_rating_reopens_the_need_once(people, need):
    need = _dispatch(people, need)
    need = services.answer_need(by=people.department_officer, need=need, answer="已处理")
    need = services.rate_need(by=people.resident, need=need, rating=2, comment="还是不亮")
    assert need.status == S.DISPATCHED and need.reopened_count == 1 and need.department == people.department
    need = services.answer_need(by=people.department_officer, need=need, answer="换了线路")
    need = services.rate_need(by=people.resident, need=need, rating=1)
    assert need.status == S.CLOSED and need.rating == 1


def test_transitions_outside_the_table_are_refused(people, need):
    with pytest.raises(TransitionNotAllowed):
        services.answer_need(by=people.community_staff, need=need, answer="x")
    assert Need.objects.get(pk=need.pk).status == S.SUBMITTED


def test_accepting_twice_is_harmless(people, need):
    services.accept_need(by=people.community_staff, need=need)
    services.accept_need(by=people.community_staff, need=need)
    assert need.events.filter(to_status=S.ACCEPTED).count() == 1


def test_staff_of_another_street_and_residents_cannot_triage(people, need):
    for user in (people.street_staff_b, people.resident, people.ngo_member, people.department_officer):
        with pytest.raises(PermissionDenied):
            services.accept_need(by=user, need=need)


def test_only_the_handling_department_answers(people, need, tree):
    from tests.factories import OrganisationFactory, UserFactory

    need = _dispatch(people, need)
    other = OrganisationFactory(kind="department", region=tree.district)
    officer = UserFactory()
    other.memberships.create(user=officer, role="member")
    with pytest.raises(PermissionDenied):
        services.answer_need(by=officer, need=need, answer="x")


def test_only_the_resident_rates_their_need(people, need):
    need = _dispatch(people, need)
    need = services.answer_need(by=people.department_officer, need=need, answer="好了")
    with pytest.raises(PermissionDenied):
        services.rate_need(by=people.plain, need=need, rating=5)
    with pytest.raises(DomainError):
        services.rate_need(by=people.resident, need=need, rating=9)


def test_rejection_needs_a_reason(people, need):
    with pytest.raises(DomainError):
        services.reject_need(by=people.community_staff, need=need, reason="")


def test_staff_enter_needs_for_residents_from_other_channels_in_their_region(people, tree):
    need = services.submit_need(
        by=people.grid_worker,
        title="楼道堆物",
        description="消防通道被占",
        category=category(),
        region=tree.sub_grid_a1,
        channel=Channel.GRID_PATROL,
        contact_name="王大妈",
    )
    assert need.entered_by == people.grid_worker and need.submitted_by is None
    with pytest.raises(PermissionDenied):
        services.submit_need(
            by=people.grid_worker,
            title="x",
            description="y",
            category=category(),
            region=tree.community_b1,
            channel=Channel.HOTLINE,
        )
    with pytest.raises(PermissionDenied):
        services.submit_need(
            by=people.resident, title="x", description="y", category=category(), region=tree.grid_a1, channel="hotline"
        )


def test_needs_attach_to_a_community_or_below(people, tree):
    with pytest.raises(DomainError):
        services.submit_need(by=people.resident, title="x", description="y", category=category(), region=tree.street_a)


def test_joining_a_need_counts_once(people, need, tree):
    neighbour = grant(UserFactory(), Role.RESIDENT, tree.community_a1)
    services.support_need(by=neighbour, need=need)
    need = services.support_need(by=neighbour, need=need)
    assert need.supporters_count == 2
    with pytest.raises(PermissionDenied):
        services.support_need(by=people.resident, need=need)  # the resident's own need


def test_only_verified_residents_of_the_place_join_a_need(people, need, tree):
    unverified = grant(UserFactory(), Role.RESIDENT, tree.community_a1, verified=False)
    elsewhere = grant(UserFactory(), Role.RESIDENT, tree.community_b1)
    for stranger in (people.plain, unverified, elsewhere, people.street_staff):
        with pytest.raises(PermissionDenied):
            services.support_need(by=stranger, need=need)
    need.refresh_from_db()
    assert need.supporters_count == 1


def test_merging_needs_creates_a_project_that_keeps_them(people, need, tree):
    other = services.submit_need(
        by=people.plain, title="路灯坏了", description="晚上黑", category=category(), region=tree.community_a2
    )
    project, merged = services.merge_needs(by=people.street_staff, needs=[need, other], title="甲街道路灯改造")
    assert {n.status for n in merged} == {S.MERGED}
    assert set(project.needs.all()) == {need, other}
    assert project.region == tree.street_a  # the smallest region holding both
    with pytest.raises(PermissionDenied):
        services.merge_needs(by=people.community_staff, needs=[other], title="x")  # A2 is not A1's

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from portal.accounts import services
from portal.accounts.models import Role, RoleAssignment
from portal.accounts.roles import has_role
from portal.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_street_staff_grant_roles_below_them_in_their_street(people, tree):
    user = UserFactory()
    services.assign_role(by=people.street_staff, user=user, role=Role.COMMUNITY_STAFF, region=tree.community_a1)
    assert has_role(user, Role.COMMUNITY_STAFF)
    entry = AuditEntry.objects.get(action="role.assign")
    assert entry.actor == people.street_staff and entry.after["role"] == "community_staff"


def test_street_staff_cannot_grant_in_another_street_or_at_their_own_level(people, tree):
    user = UserFactory()
    with pytest.raises(PermissionDenied):
        services.assign_role(by=people.street_staff, user=user, role=Role.COMMUNITY_STAFF, region=tree.community_b1)
    with pytest.raises(PermissionDenied):
        services.assign_role(by=people.street_staff, user=user, role=Role.STREET_STAFF, region=tree.street_a)
    with pytest.raises(PermissionDenied):
        services.assign_role(by=people.resident, user=user, role=Role.GRID_WORKER, region=tree.grid_a1)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_editors_join_wagtails_group_and_leave_it_when_revoked(people, tree):
    user = UserFactory()
    assignment = services.assign_role(by=people.district_staff, user=user, role=Role.EDITOR, region=tree.district)
    assert user.groups.filter(name="Editors").exists()
    services.revoke_role(by=people.district_staff, assignment=assignment)
    assert not user.groups.filter(name="Editors").exists()
    assert AuditEntry.objects.filter(action="role.revoke").exists()


def test_residence_claims_grant_nothing_until_verified(people, tree):
    user = UserFactory()
    claim = services.claim_residence(by=user, community=tree.community_a1)
    assert not has_role(user, Role.RESIDENT)
    services.verify_residence(by=people.community_staff, assignment=claim)
    user = type(user).objects.get(pk=user.pk)
    assert has_role(user, Role.RESIDENT)


def test_password_reset_sends_a_link(client):
    UserFactory(email="forgot@example.org")
    response = client.post("/accounts/password/reset/", {"email": "forgot@example.org"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_residence_claim_and_its_verification_are_on_the_timeline(people, tree):
    from django.contrib.contenttypes.models import ContentType

    from portal.accounts.models import ResidenceStatus
    from portal.core.models import TimelineEvent

    user = UserFactory()
    claim = services.claim_residence(by=user, community=tree.community_a1)
    assert claim.residence_status == ResidenceStatus.CLAIMED
    for _ in range(2):  # a double click verifies once
        verified = services.verify_residence(by=people.community_staff, assignment=claim)
    assert verified.residence_status == ResidenceStatus.VERIFIED and verified.verified_at is not None
    assert verified.granted_by == people.community_staff
    timeline = TimelineEvent.objects.filter(content_type=ContentType.objects.get_for_model(claim), object_id=claim.pk)
    assert list(timeline.order_by("id").values_list("from_status", "to_status", "actor_id")) == [
        ("", ResidenceStatus.CLAIMED, user.pk),
        (ResidenceStatus.CLAIMED, ResidenceStatus.VERIFIED, people.community_staff.pk),
    ]
    assert str(timeline.last().to_label) in {"verified", "已核验", str(ResidenceStatus.VERIFIED.label)}
    assert AuditEntry.objects.filter(action="residence.verify", target_id=str(user.pk)).count() == 1

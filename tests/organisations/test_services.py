import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from portal.audit.models import AuditEntry
from portal.core.errors import DomainError
from portal.organisations import services
from portal.organisations.models import MemberRole, Membership, VerificationStatus
from tests.factories import OrganisationFactory, UserFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _register(user, tree, n=1, **extra):
    return services.register_organisation(
        by=user,
        uscc=valid_uscc(n),
        kind="ngo",
        name="新注册社工中心",
        region=tree.street_a,
        contact_name="李",
        contact_phone="13800138000",
        **extra,
    )


def test_registering_makes_the_user_admin_and_leaves_it_pending(tree):
    user = UserFactory()
    organisation = _register(user, tree)
    assert organisation.verification_status == VerificationStatus.PENDING
    assert Membership.objects.get(organisation=organisation, user=user).role == MemberRole.ADMIN
    assert user.has_perm("organisations.change_organisation", organisation)


def test_the_same_code_cannot_be_registered_twice(tree):
    _register(UserFactory(), tree)
    with pytest.raises(DomainError) as exc:
        _register(UserFactory(), tree)
    assert exc.value.code == "duplicate"


def test_verification_is_audited_and_notifies_admins(people, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    Membership.objects.create(organisation=organisation, user=people.plain, role=MemberRole.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        services.verify_organisation(by=people.street_staff, organisation=organisation, note="材料齐全")
    organisation.refresh_from_db()
    assert organisation.is_verified and organisation.verified_by == people.street_staff
    entry = AuditEntry.objects.get(action="organisation.verified")
    assert entry.actor == people.street_staff
    assert entry.before["verification_status"] == "pending"
    assert entry.after["verification_status"] == "verified"
    assert mail.outbox and mail.outbox[0].to == [people.plain.email]


def test_verifying_twice_is_harmless(people):
    organisation = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    services.verify_organisation(by=people.street_staff, organisation=organisation)
    services.verify_organisation(by=people.street_staff, organisation=organisation)
    assert AuditEntry.objects.filter(action="organisation.verified").count() == 1


def test_staff_of_another_street_cannot_verify(people):
    organisation = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.verify_organisation(by=people.street_staff_b, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.verification_status == VerificationStatus.PENDING


def test_rejection_needs_a_reason(people):
    organisation = OrganisationFactory(region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    with pytest.raises(DomainError):
        services.reject_organisation(by=people.district_staff, organisation=organisation, reason=" ")


def test_invitation_is_accepted_only_by_its_addressee(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_member(by=people.ngo_member, organisation=people.ngo, email="New@Example.org")
    assert "invitations" in mail.outbox[-1].body
    stranger = UserFactory(email="someone@example.org")
    with pytest.raises(DomainError):
        services.accept_invitation(by=stranger, token=invitation.token)
    newcomer = UserFactory(email="new@example.org")
    membership = services.accept_invitation(by=newcomer, token=invitation.token)
    assert membership.organisation == people.ngo and membership.role == MemberRole.MEMBER
    # Clicking the link again is harmless; someone else cannot reuse it.
    assert services.accept_invitation(by=newcomer, token=invitation.token) == membership
    with pytest.raises(DomainError):
        services.accept_invitation(by=stranger, token=invitation.token)


def test_members_of_another_organisation_cannot_invite(people):
    with pytest.raises(PermissionDenied):
        services.invite_member(by=people.other_ngo_member, organisation=people.ngo, email="x@example.org")


def test_the_last_administrator_cannot_be_removed(people):
    membership = Membership.objects.get(organisation=people.ngo, user=people.ngo_member)
    with pytest.raises(DomainError):
        services.remove_member(by=people.ngo_member, membership=membership)

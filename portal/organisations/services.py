"""Every change to organisations, memberships, invitations and verification happens here."""

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.roles import forget_roles
from portal.audit.services import record_action
from portal.core.errors import DomainError
from portal.core.transitions import Workflow
from portal.core.uploads import DOCUMENT, IMAGE, check_upload, reencode_image
from portal.notifications.services import notify

from .models import (
    IDENTITY_FIELDS,
    VERIFICATION_TRANSITIONS,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    VerificationDocument,
    VerificationStatus,
)
from .uscc import normalise


def _require(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _unique_slug(name, uscc):
    base = slugify(name, allow_unicode=False)[:50] or "org"
    return f"{base}-{uscc[-6:].lower()}"


PROFILE_FIELDS = [
    "name",
    "name_en",
    "kind",
    "uscc",
    "region",
    "registered_on",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
    "logo",
    "description",
]


INVITATION_SUBJECT = gettext_lazy("Invitation to join %(org)s on Gongzhi")
INVITATION_BODY = gettext_lazy(
    "You have been invited to join %(org)s on Gongzhi. Open the link to accept the invitation "
    "(log in or sign up with this email address first)."
)
VERIFICATION_SUBJECT = gettext_lazy("%(org)s: %(status)s")
DUPLICATE_USCC = gettext_lazy("An organisation with this unified social credit code is already registered.")


def _save_unique(organisation):
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a concurrent registration (or change) to the same code
        raise DomainError(str(DUPLICATE_USCC), "duplicate") from exc


def _check_kind(by, kind):
    if kind == OrganisationKind.DEPARTMENT and not by.has_perm("organisations.add_department"):
        raise DomainError(
            _("Government departments are set up by district staff. Register an NGO, a company or a foundation."),
            "department_kind",
        )


@transaction.atomic
def register_organisation(*, by, uscc, service_regions=(), categories=(), **fields):
    """Register an organisation; the registering user becomes its first administrator.

    A government department is set up by district staff instead: verified at once, with
    no member until they invite its officers.
    """
    _require(by, "organisations.add_organisation")
    _check_kind(by, fields.get("kind"))
    uscc = normalise(uscc)
    if Organisation.objects.filter(uscc=uscc).exists():
        raise DomainError(str(DUPLICATE_USCC), "duplicate")
    _reencode_logo(fields)
    organisation = Organisation(uscc=uscc, created_by=by, slug=_unique_slug(fields.get("name", ""), uscc), **fields)
    is_department = organisation.kind == OrganisationKind.DEPARTMENT
    if is_department:
        organisation.verification_status = VerificationStatus.VERIFIED
        organisation.verified_by, organisation.verified_at = by, timezone.now()
    organisation.full_clean()
    _save_unique(organisation)
    # The timeline starts where the organisation does: pending, or verified for a department set up by staff.
    verification.start(organisation, by=by, note=_("Set up by district staff.") if is_department else "")
    organisation.service_regions.set(service_regions)
    organisation.categories.set(categories)
    if is_department:
        record_action(by=by, action="organisation.create_department", target=organisation)
    else:
        Membership.objects.create(organisation=organisation, user=by, role=MemberRole.ADMIN)
        forget_roles(by)
    return organisation


@transaction.atomic
def update_organisation(*, by, organisation, service_regions=None, categories=None, **changes):
    """Edit the profile. A verified organisation that changes who it is (kind, name, code or
    region) goes back to verification, and its members' roles wait until staff check it again."""
    _require(by, "organisations.change_organisation", organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = {name: _identity(organisation, name) for name in IDENTITY_FIELDS}
    if organisation.is_verified:  # the names the public keeps seeing until staff check the new ones
        organisation.verified_name, organisation.verified_name_en = organisation.name, organisation.name_en
    _reencode_logo(changes)
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            raise DomainError(_("The field %(field)s cannot be changed here.") % {"field": name})
        setattr(organisation, name, normalise(value) if name == "uscc" else value)
    if (organisation.kind == OrganisationKind.DEPARTMENT) != (before["kind"] == OrganisationKind.DEPARTMENT):
        raise DomainError(_("An organisation cannot become a government department, nor stop being one."), "kind")
    organisation.full_clean(validate_unique=False)
    if organisation.uscc != before["uscc"] and Organisation.objects.filter(uscc=organisation.uscc).exists():
        raise DomainError(str(DUPLICATE_USCC), "duplicate")
    _save_unique(organisation)
    if service_regions is not None:
        organisation.service_regions.set(service_regions)
    if categories is not None:
        organisation.categories.set(categories)
    changed = [name for name in IDENTITY_FIELDS if _identity(organisation, name) != before[name]]
    if changed and organisation.is_verified and not by.has_perm("organisations.verify_organisation", organisation):
        organisation = _set_verification(
            by=by,
            organisation=organisation,
            to_status=VerificationStatus.PENDING,
            note=_("Changed: %(fields)s. Staff check the organisation again.")
            % {"fields": ", ".join(str(Organisation._meta.get_field(name).verbose_name) for name in changed)},
            before_identity=before,
        )
    return organisation


def _reencode_logo(fields):
    """A newly uploaded logo is shown publicly: store pixels we wrote, not the file as sent."""
    logo = fields.get("logo")
    if isinstance(logo, UploadedFile):
        check_upload(logo, IMAGE)
        fields["logo"] = reencode_image(logo)


def _identity(organisation, name):
    return organisation.region_id if name == "region" else getattr(organisation, name)


@transaction.atomic
def invite_member(*, by, organisation, email, role=MemberRole.MEMBER):
    _require(by, "organisations.manage_members", organisation)
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already a member.") % {"email": email}, "already_member")
    invitation = Invitation.objects.filter(organisation=organisation, email=email, accepted_at__isnull=True).first()
    if invitation:
        invitation.role = role
        invitation.expires_at = Invitation._meta.get_field("expires_at").default()
        invitation.save(update_fields=["role", "expires_at"])
    else:
        invitation = Invitation.objects.create(organisation=organisation, email=email, role=role, invited_by=by)
    accept_url = reverse("organisations:invitation_accept", args=[invitation.token])
    notify(
        addresses=[email],
        message="organisations.invitation",
        params={"org": organisation.name},
        url=accept_url,
        language=by.language,
    )
    return invitation


@transaction.atomic
def accept_invitation(*, by, token):
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).filter(token=token).select_related("organisation").first()
    )
    if invitation is None:
        raise DomainError(_("This invitation link is not valid."), "invalid_invitation")
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == by.pk:
            return Membership.objects.get(organisation=invitation.organisation, user=by)
        raise DomainError(_("This invitation has already been used."), "used_invitation")
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation has expired. Ask the organisation for a new one."), "expired_invitation")
    if not by.email or by.email.lower() != invitation.email:
        raise DomainError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email},
            "wrong_account",
        )
    membership, _created = Membership.objects.get_or_create(
        organisation=invitation.organisation, user=by, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = by
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_roles(by)
    return membership


@transaction.atomic
def remove_member(*, by, membership):
    organisation = membership.organisation
    _require(by, "organisations.manage_members", organisation)
    admins = Membership.objects.select_for_update().filter(organisation=organisation, role=MemberRole.ADMIN)
    if membership.role == MemberRole.ADMIN and admins.count() <= 1:
        raise DomainError(_("An organisation needs at least one administrator."), "last_admin")
    membership.delete()


@transaction.atomic
def upload_verification_document(*, by, organisation, file, kind):
    _require(by, "organisations.upload_document", organisation)
    check_upload(file, DOCUMENT)
    return VerificationDocument.objects.create(organisation=organisation, file=file, kind=kind, uploaded_by=by)


def _move_verification(*, by, organisation, to_status, note):
    _require(by, "organisations.verify_organisation", organisation)
    return _set_verification(by=by, organisation=organisation, to_status=to_status, note=note)


def _record_and_tell(organisation, previous):
    for membership in organisation.memberships.select_related("user"):
        forget_roles(membership.user)  # roles follow the verification (in this request too)
    admins = [m.user for m in organisation.memberships.filter(role=MemberRole.ADMIN).select_related("user")]
    note = organisation.verification_note
    notify(
        users=admins,
        message="organisations.verification",
        params={"org": organisation.name, "status": organisation.verification_status, "note": note or ""},
        url=organisation.get_absolute_url(),
    )


verification = Workflow(
    model=Organisation,
    field="verification_status",
    transitions=VERIFICATION_TRANSITIONS,
    stamps={VerificationStatus.VERIFIED: "verified_at"},
    audit="organisation",
)


def _set_verification(*, by, organisation, to_status, note, before_identity=None):
    def apply(org, now):
        org.verification_note = note
        org.verified_by = by if to_status != VerificationStatus.PENDING else None
        if to_status != VerificationStatus.VERIFIED:
            org.verified_at = None
        else:
            org.verified_name, org.verified_name_en = org.name, org.name_en

    moved = verification.move(organisation, to=to_status, by=by, note=note, apply=apply, after=_record_and_tell)
    if before_identity:
        record_action(
            by=by,
            action="organisation.identity_changed",
            target=moved,
            before={k: str(v) for k, v in before_identity.items()},
            note=note,
        )
    return moved


@transaction.atomic
def verify_organisation(*, by, organisation, note=""):
    return _move_verification(by=by, organisation=organisation, to_status=VerificationStatus.VERIFIED, note=note)


@transaction.atomic
def reject_organisation(*, by, organisation, reason):
    if not (reason or "").strip():
        raise DomainError(_("Give a reason so the organisation knows what to fix."), "reason_required")
    return _move_verification(by=by, organisation=organisation, to_status=VerificationStatus.REJECTED, note=reason)

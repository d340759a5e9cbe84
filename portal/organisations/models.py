import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Role
from portal.core.languages import DisplayNameMixin, localized_name
from portal.core.storage import private_storage
from portal.core.text import LONG_TEXT, NOTE_TEXT, validate_display_name
from portal.core.uploads import validate_document, validate_image

from .uscc import normalise, validate_uscc


class OrganisationKind(models.TextChoices):
    NGO = "ngo", _("NGO (social organisation)")
    COMPANY = "company", _("Company")
    FOUNDATION = "foundation", _("Foundation")
    DEPARTMENT = "department", _("Government department")


# The platform role a member gets from the kind of organisation.
MEMBER_ROLE = {
    OrganisationKind.NGO: Role.NGO_MEMBER,
    OrganisationKind.COMPANY: Role.DONOR_MEMBER,
    OrganisationKind.FOUNDATION: Role.DONOR_MEMBER,
    OrganisationKind.DEPARTMENT: Role.DEPARTMENT_OFFICER,
}


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


VERIFICATION_TRANSITIONS = {
    VerificationStatus.PENDING: {VerificationStatus.VERIFIED, VerificationStatus.REJECTED},
    VerificationStatus.REJECTED: {VerificationStatus.PENDING, VerificationStatus.VERIFIED},
    # Back to verification when the organisation changes who it says it is (its identity fields, below).
    VerificationStatus.VERIFIED: {VerificationStatus.REJECTED, VerificationStatus.PENDING},
}
# A change to one of these sends a verified organisation back to verification. The English
# name counts: it is the name English pages show (a verified NGO renamed in English only
# to a department's name would otherwise pass unchecked).
IDENTITY_FIELDS = ("kind", "name", "name_en", "uscc", "region", "registered_on")


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_status=VerificationStatus.VERIFIED)

    def visible_to(self, user):
        """Verified organisations for everyone; members also see their own, and staff the ones
        registered in their area (to verify them). The facts of the `view_organisation` rule."""
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, role_facts, scope_regions
        from portal.regions.models import subtree_q

        visible = models.Q(verification_status=VerificationStatus.VERIFIED)
        if getattr(user, "is_authenticated", False):
            if user.is_superuser:
                return self.all()
            visible |= models.Q(pk__in=role_facts(user).organisation_ids)
            regions = scope_regions(user, ADMINISTRATIVE_ROLES)
            if regions:
                visible |= subtree_q(regions)
        return self.filter(visible)

    def departments(self):
        """Government departments needs may be dispatched to: verified ones only."""
        return self.verified().filter(kind=OrganisationKind.DEPARTMENT)


class Organisation(DisplayNameMixin, models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=OrganisationKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200, validators=[validate_display_name])
    name_en = models.CharField(
        _("English name"),
        max_length=200,
        blank=True,
        validators=[validate_display_name],
        help_text=_("Shown on the English pages; leave blank to show the Chinese name."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the registration certificate."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("registered in"),
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("The street or community where the organisation is registered; staff there verify it."),
    )
    service_regions = models.ManyToManyField(
        "regions.Region", verbose_name=_("service regions"), blank=True, related_name="served_by"
    )
    categories = models.ManyToManyField("core.Category", verbose_name=_("categories"), blank=True)
    registered_on = models.DateField(
        _("registered on"),
        null=True,
        blank=True,
        help_text=_("The date on the registration certificate; funding calls may ask for years registered."),
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_phone = models.CharField(_("contact phone"), max_length=30)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="organisations/logos/", blank=True, validators=[validate_image])
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT)

    verification_status = models.CharField(
        _("verification"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification_note = models.TextField(_("verification note"), blank=True, max_length=NOTE_TEXT)
    # The names staff last verified: shown publicly while a new name waits for verification.
    verified_name = models.CharField(_("last verified name"), max_length=200, blank=True, editable=False)
    verified_name_en = models.CharField(_("last verified English name"), max_length=200, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations_created",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()
    timeline_status_field = "verification_status"

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            models.Index(fields=["kind", "verification_status", "name"]),
            # The public list: verified organisations by name.
            models.Index(fields=["verification_status", "name"]),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:organisation_detail", kwargs={"slug": self.slug})

    def clean(self):
        self.uscc = normalise(self.uscc)

    @property
    def is_verified(self):
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def public_name(self):
        """The name shown to the public (as funder, bidder, …): the current one once verified; while a
        new name waits for verification, the last verified one (`display_name` is the pending one)."""
        if self.is_verified or not self.verified_name:
            return self.display_name
        return localized_name(self.verified_name, self.verified_name_en)

    def name_for(self, user):
        """`display_name` for those who may see the organisation as it is now (its members, the staff who
        verify it), `public_name` for everybody else."""
        if self.public_name == self.display_name:
            return self.display_name
        if user is not None and user.has_perm("organisations.view_organisation", self):
            return self.display_name
        return self.public_name


class MemberRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="unique_open_invitation",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class DocumentKind(models.TextChoices):
    REGISTRATION_CERTIFICATE = "registration", _("Registration certificate")
    CHARTER = "charter", _("Charter")
    ANNUAL_REPORT = "annual_report", _("Annual report")
    OTHER = "other", _("Other")


class VerificationDocument(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField(
        _("file"), upload_to="organisations/documents/%Y/%m/", storage=private_storage, validators=[validate_document]
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification document")
        verbose_name_plural = _("verification documents")

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()}"

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.text import validate_display_name


class User(AbstractUser):
    """A person using Gongzhi. Email is the login; username is the public handle."""

    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True, validators=[validate_display_name])
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    home_community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("home community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        limit_choices_to={"level": "community"},
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username

    @property
    def public_name(self):
        return self.display_name or self.username


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    COMMUNITY_STAFF = "community_staff", _("Community staff")
    STREET_STAFF = "street_staff", _("Street staff")
    DISTRICT_STAFF = "district_staff", _("District staff")
    DEPARTMENT_OFFICER = "department_officer", _("Department officer")
    NGO_MEMBER = "ngo_member", _("NGO member")
    DONOR_MEMBER = "donor_member", _("Company or donor member")
    REVIEWER = "reviewer", _("Reviewer")
    COUNCIL_MEMBER = "council_member", _("Council member")
    EDITOR = "editor", _("Editor")
    MODERATOR = "moderator", _("Moderator")


# Roles whose holders act for the district on residents' data: they are scoped
# to a region subtree and must use a second factor.
STAFF_ROLES = frozenset(
    {
        Role.GRID_WORKER,
        Role.COMMUNITY_STAFF,
        Role.STREET_STAFF,
        Role.DISTRICT_STAFF,
        Role.DEPARTMENT_OFFICER,
        Role.REVIEWER,
        Role.EDITOR,
        Role.MODERATOR,
    }
)
# Roles that come from membership of an organisation of some kind.
ORGANISATION_ROLES = frozenset({Role.NGO_MEMBER, Role.DONOR_MEMBER, Role.DEPARTMENT_OFFICER})


class ResidenceStatus(models.TextChoices):
    """A resident's assignment is claimed until community staff verify it (`verified_at` says which)."""

    CLAIMED = "claimed", _("claimed")
    VERIFIED = "verified", _("verified")


RESIDENCE_TRANSITIONS = {ResidenceStatus.CLAIMED: {ResidenceStatus.VERIFIED}, ResidenceStatus.VERIFIED: set()}


class RoleAssignment(models.Model):
    """A role held by a user, scoped to a region (and for some roles an organisation).

    A resident's assignment is their verified residence in a community; a staff
    member's region is the subtree they see and act in.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "region"], name="unique_role_per_region"),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(region__isnull=True),
                name="unique_unscoped_role",
            ),
        ]
        indexes = [models.Index(fields=["role", "region"])]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.region or '-'}"

    timeline_status_choices = ResidenceStatus  # the timeline's steps (TimelineEvent.to_label)

    @property
    def residence_status(self):
        """The state `verify_residence` moves (through its workflow); stored as `verified_at`."""
        return ResidenceStatus.VERIFIED if self.verified_at else ResidenceStatus.CLAIMED

    @residence_status.setter
    def residence_status(self, value):
        if value != ResidenceStatus.VERIFIED:
            self.verified_at = None


class SecondFactorToken(models.Model):
    """Marks an API token (DRF's authtoken) issued after its owner typed a second-factor code.

    A token without this mark was issued on the password alone: it is revoked when its owner enrols a
    second factor, and refused while the owner has one or must use one (MFA_REQUIRED_FOR_STAFF).
    """

    token = models.OneToOneField(
        "authtoken.Token", on_delete=models.CASCADE, primary_key=True, related_name="second_factor"
    )
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("API token issued with a second factor")
        verbose_name_plural = _("API tokens issued with a second factor")

    def __str__(self):
        return str(self.issued_at)

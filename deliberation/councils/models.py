"""Councils (居民议事会) at community, street and district level, and the district hearing centre.

A council belongs to a region: its residents propose topics to it and, where a vote is
open to "all verified residents", make its electorate. Members sit on it with a role and a
term. What a council collects and when is decided by its phases (`portal.phases`, kind
`collect_topics`).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.languages import DisplayNameMixin
from portal.core.text import LONG_TEXT

# The phase kind during which residents may propose topics to a council.
COLLECT_TOPICS = "collect_topics"


class CouncilLevel(models.TextChoices):
    COMMUNITY = "community", _("Community council")
    STREET = "street", _("Street council")
    DISTRICT = "district", _("District council")
    HEARING_CENTRE = "hearing_centre", _("District hearing centre")


class Council(DisplayNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    slug = models.SlugField(unique=True)
    level = models.CharField(_("level"), max_length=16, choices=CouncilLevel.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="councils"
    )
    description = models.TextField(_("about this council"), blank=True, max_length=LONG_TEXT)
    description_en = models.TextField(_("about this council (English)"), blank=True, max_length=LONG_TEXT)
    # Supports a topic needs before it goes to the agenda queue.
    support_threshold = models.PositiveIntegerField(_("supports needed for the agenda"), default=10)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Its time windows (collecting topics); no column: Phase holds the key.
    phases = GenericRelation("phases.Phase")

    class Meta:
        ordering = ["region__path", "level", "name"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [models.CheckConstraint(condition=Q(support_threshold__gte=1), name="council_threshold_positive")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("councils:detail", kwargs={"slug": self.slug})


class MemberRole(models.TextChoices):
    RESIDENT_REPRESENTATIVE = "resident_representative", _("Resident representative")
    PARTY_MEMBER = "party_member", _("Party member")
    PEOPLES_DEPUTY = "peoples_deputy", _("People's deputy")
    NGO = "ngo", _("NGO")
    COMPANY = "company", _("Company")
    EXPERT = "expert", _("Expert")
    OFFICIAL = "official", _("Official")
    CHAIR = "chair", _("Chair")


class CouncilMemberQuerySet(models.QuerySet):
    def serving(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(term_start__lte=on) & (Q(term_end__isnull=True) | Q(term_end__gte=on)))


class CouncilMember(models.Model):
    """A seat on a council for one term. Members without an account are named; their votes are recorded by staff."""

    council = models.ForeignKey(Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_seats",
    )
    name = models.CharField(_("name"), max_length=80)
    role = models.CharField(_("role"), max_length=32, choices=MemberRole.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="council_seats",
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = CouncilMemberQuerySet.as_manager()

    class Meta:
        ordering = ["council", "role", "name"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=F("term_start")),
                name="member_term_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["council", "user", "term_start"],
                condition=Q(user__isnull=False),
                name="member_one_seat_per_term",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

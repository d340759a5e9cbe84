"""活动: public events, matchmaking fairs and open meetings."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock
from .base import ChildRouteMixin, PortalPageMixin, live_pages


class EventKind(models.TextChoices):
    EVENT = "event", _("Public event")
    FAIR = "fair", _("Matchmaking fair")
    MEETING = "meeting", _("Council meeting or hearing")


class EventIndexPage(PortalPageMixin, ChildRouteMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = live_pages(EventPage).child_of(self)
        now = timezone.now()
        context["upcoming"] = events.filter(ends_at__gte=now).order_by("starts_at")[:50]
        context["past"] = events.filter(ends_at__lt=now).order_by("-starts_at")[:20]
        return context


class EventPage(PortalPageMixin, Page):
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, default=EventKind.EVENT)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    location = models.CharField(_("location"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    # Where to register or take part: the deliberation meeting or the marketplace fair.
    link_url = models.CharField(
        _("link"), max_length=300, blank=True, help_text=_("The meeting or fair this event is about, e.g. /fairs/3/")
    )
    link_text = models.CharField(_("link text"), max_length=80, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("location"),
        FieldPanel("region"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("link_url"), FieldPanel("link_text")], heading=_("Take part")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("location"),
        index.SearchField("body"),
    ]
    parent_page_types = ["pages.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["ends_at", "starts_at"])]

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("The event cannot end before it starts.")})

    @property
    def is_upcoming(self):
        return self.ends_at >= timezone.now()

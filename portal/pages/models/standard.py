"""Free-form pages: about, guides, and the FAQ."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import BodyBlock, FAQBlock
from .base import PortalPageMixin


class StandardPage(PortalPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage", "pages.FAQPage"]

    class Meta:
        verbose_name = _("standard page")


class FAQPage(PortalPageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=255, blank=True)
    questions = StreamField(FAQBlock(), verbose_name=_("questions"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("questions")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("questions")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")

"""Editors keep the search synonyms in the CMS they already use (Settings → Synonyms)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Synonyms")
    add_to_settings_menu = True
    list_display = ["words", "updated_at"]
    search_fields = ["words"]
    search_backend_name = None  # the database's own filter: a short table, not in the CMS search index
    panels = [FieldPanel("words")]


register_snippet(SynonymGroupViewSet)

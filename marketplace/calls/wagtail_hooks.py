"""Staff set a funding call up in the CMS they already use: its rules, rubric and matching table.

The status is not edited here: publishing, closing and cancelling are the call's actions on its page
(and the API), through its workflow, so every move is checked and recorded.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FundingCall


class FundingCallViewSet(SnippetViewSet):
    model = FundingCall
    icon = "tasks"
    menu_label = "扶持资金 / Funding calls"
    add_to_admin_menu = True
    list_display = ["title", "status", "opens_at", "closes_at", "pool"]
    list_filter = ["status", "kind"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("title_en"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("year")]),
                FieldPanel("summary"),
                FieldPanel("region"),
                FieldPanel("categories"),
                FieldPanel("pool"),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("notice_page"),
            ],
            heading=_("Call"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("verified_only"),
                FieldRowPanel([FieldPanel("max_active_projects"), FieldPanel("min_years_registered")]),
                FieldPanel("required_documents"),
            ],
            heading=_("Eligibility"),
        ),
        MultiFieldPanel(
            [FieldPanel("aggregation"), FieldPanel("notice_days"), InlinePanel("criteria", min_num=1)],
            heading=_("Review"),
        ),
        InlinePanel("matching_rules", min_num=1, heading=_("Matching table")),
    ]


register_snippet(FundingCallViewSet)

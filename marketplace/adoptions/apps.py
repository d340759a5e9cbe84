from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionsConfig(AppConfig):
    name = "marketplace.adoptions"
    label = "adoptions"
    verbose_name = _("Claims and bids")

    def ready(self):
        from django.template.loader import render_to_string

        from marketplace.projects.panels import register_panel

        def claim_panel(context, project):
            return render_to_string(
                "adoptions/includes/claim_panel.html", {"project": project}, request=context.get("request")
            )

        register_panel("claim", order=10, render=claim_panel)

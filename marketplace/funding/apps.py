from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "marketplace.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from django.template.loader import render_to_string

        from marketplace.projects.panels import register_panel
        from portal.core.health import register

        from . import receivers  # noqa: F401

        def ledger_health():  # the last check of the books (verify_ledger, daily from beat)
            from .ledger import health_check

            return health_check()

        register("ledger", ledger_health, label=_("Ledger"))

        def funding_panel(context, project):
            from .templatetags.funding import project_funding

            return render_to_string(
                "funding/includes/project_funding.html",
                project_funding(context, project),
                request=context.get("request"),
            )

        register_panel("funding", order=20, render=funding_panel)

        def money_chart_panel(context, project):  # the money over time, after the ledger (series.py)
            from .series import money_chart_panel

            return money_chart_panel(context, project)

        register_panel("funding_chart", order=21, render=money_chart_panel)

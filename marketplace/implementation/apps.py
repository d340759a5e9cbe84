from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "marketplace.implementation"
    label = "implementation"
    verbose_name = _("Implementation and evaluation")

    def ready(self):
        from django.template.loader import render_to_string

        from marketplace.projects.panels import register_panel

        from . import messages, rules  # noqa: F401  (message keys and permissions registered)

        def progress_panel(context, project):
            from marketplace.projects.models import ProjectStatus

            from .progress import progress_of

            if project.status in (ProjectStatus.DRAFT, ProjectStatus.PUBLISHED, ProjectStatus.WITHDRAWN):
                return ""
            progress = progress_of(project, user=context.get("request") and context["request"].user)
            if progress.is_empty and project.implementer_id is None:
                return ""
            return render_to_string(
                "implementation/includes/progress_panel.html",
                {"project": project, "progress": progress},
                request=context.get("request"),
            )

        register_panel("progress", order=30, render=progress_panel)

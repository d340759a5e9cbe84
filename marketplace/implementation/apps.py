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

        from portal.organisations.sections import register_api_value, register_section

        from .track_record import track_record, track_records

        def track_record_section(context, organisation):
            if organisation.kind != "ngo":
                return ""
            return render_to_string(
                "implementation/includes/track_record.html",
                {"record": track_record(organisation), "organisation": organisation},
                request=context.get("request"),
            )

        def track_record_values(organisations):
            ngos = [o for o in organisations if o.kind == "ngo"]
            return {pk: record.as_api() for pk, record in track_records(ngos).items()} if ngos else {}

        register_section("track_record", order=20, render=track_record_section)
        register_api_value("track_record", values=track_record_values)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "marketplace.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from . import filter_form, receivers  # noqa: F401 (receivers connect on import)

        filter_form.connect()

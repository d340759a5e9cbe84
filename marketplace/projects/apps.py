from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "marketplace.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from . import receivers

        receivers.connect_filter_form_receivers()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "marketplace.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from portal.comments.registry import Commentable, register

        from . import filter_form, receivers, search_documents  # noqa: F401 (receivers connect on import)

        search_documents.register()

        register(Commentable("project", "projects.Project", lambda user, p: user.has_perm("projects.view_project", p)))

        filter_form.connect()

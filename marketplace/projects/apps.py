from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "marketplace.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from portal.comments.registry import Commentable, register
        from search.site import register as register_search

        from . import filter_form, receivers  # noqa: F401 (receivers connect on import)
        from .site_search import find_projects

        register_search("projects", find_projects, order=20)

        register(Commentable("project", "projects.Project", lambda user, p: user.has_perm("projects.view_project", p)))

        filter_form.connect()

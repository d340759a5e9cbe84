from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from portal.core import health

        from .backends import get_backend

        def check_search():
            backend = get_backend()
            return backend.ping(), backend.name

        health.register("search", check_search)

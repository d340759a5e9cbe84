from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal.core import health

        from .backends import get_backend
        from .models import SynonymGroup
        from .synonyms import push

        def check_search():
            backend = get_backend()
            return backend.ping(), backend.name

        health.register("search", check_search)
        # The audit log is a staff type registered from here: portal.audit sits below search.
        from . import audit_documents

        audit_documents.register()
        # The editors' synonyms reach the backend after each change's commit.
        post_save.connect(push, sender=SynonymGroup, dispatch_uid="search-synonyms-save")
        post_delete.connect(push, sender=SynonymGroup, dispatch_uid="search-synonyms-delete")

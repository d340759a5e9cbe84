from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "marketplace.calls"
    label = "calls"
    verbose_name = _("Funding calls and declarations")

    def ready(self):
        from . import search_documents

        search_documents.register()

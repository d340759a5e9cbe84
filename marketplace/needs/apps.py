from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "marketplace.needs"
    label = "needs"
    verbose_name = _("Needs")

    def ready(self):
        from . import queue_forms, receivers, search_documents  # noqa: F401 (receivers connect on import)

        queue_forms.QUEUE_FORMS.connect()
        search_documents.register()

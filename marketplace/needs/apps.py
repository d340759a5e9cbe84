from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "marketplace.needs"
    label = "needs"
    verbose_name = _("Needs")

    def ready(self):
        from . import receivers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "marketplace.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from . import receivers  # noqa: F401

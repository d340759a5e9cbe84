from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdoptionsConfig(AppConfig):
    name = "marketplace.adoptions"
    label = "adoptions"
    verbose_name = _("Claims and bids")

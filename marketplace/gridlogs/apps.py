from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridLogsConfig(AppConfig):
    name = "marketplace.gridlogs"
    label = "gridlogs"
    verbose_name = _("Grid logs")

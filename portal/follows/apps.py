from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowsConfig(AppConfig):
    name = "portal.follows"
    verbose_name = _("Follows")
    default_auto_field = "django.db.models.BigAutoField"

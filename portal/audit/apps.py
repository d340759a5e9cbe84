from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "portal.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from portal.core.transitions import on_move

        from .moves import audit_move

        on_move(audit_move)

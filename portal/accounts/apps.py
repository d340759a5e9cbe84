from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from portal.core.transitions import on_move

        from . import signals  # noqa: F401
        from .moves import audit_move

        on_move(audit_move)  # staff's status moves leave an audit entry

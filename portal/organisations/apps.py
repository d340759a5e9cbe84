from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "portal.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from portal.accounts.roles import add_role_source
        from portal.accounts.services import before_account_deletion

        from . import search_documents
        from .roles import membership_roles, refuse_last_administrator

        add_role_source(membership_roles)
        before_account_deletion(refuse_last_administrator)
        search_documents.register()

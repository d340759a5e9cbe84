"""The marketplace's pages in the header's areas and in the account menu."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.navigation import account_link, area_link


def register():
    area_link("needs", _("Residents' needs"), "needs:need_list", order=10)
    area_link("needs", _("Report a need"), "needs:need_submit", order=20)
    area_link("projects", pgettext_lazy("site area", "Projects"), "projects:project_list", order=20)
    area_link("projects", _("Organisations"), "organisations:organisation_list", order=30)
    area_link("projects", _("Funding calls"), "calls:call_list", order=40)
    account_link(_("My needs"), "needs:my_needs", order=10)
    account_link(_("My claims"), "adoptions:my_claims", order=20)
    account_link(_("My gifts and receipts"), "funding:my_gifts", order=30)
    account_link(_("Our declarations"), "calls:my_declarations", order=40, when=_is_organisation_member)
    account_link(_("My reviews"), "calls:my_reviews", order=45, when=_is_reviewer)
    account_link(
        _("Implementation: to review"),
        "implementation:staff_queue",
        order=60,
        when=lambda user: user.has_perm("implementation.view_queue"),
    )


def _is_organisation_member(user):
    from portal.accounts.roles import role_facts

    return bool(role_facts(user).organisation_ids)


def _is_reviewer(user):
    from portal.accounts.models import Role
    from portal.accounts.roles import has_role

    return has_role(user, Role.REVIEWER)

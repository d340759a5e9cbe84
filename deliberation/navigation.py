"""Deliberation's pages in the header's "decide together" area and in the account menu."""

from django.utils.translation import gettext_lazy as _

from portal.core.navigation import account_link, area_link


def register():
    area_link("decide", _("Councils"), "councils:list", order=10)
    area_link("decide", _("Topics"), "topics:list", order=20)
    area_link("decide", _("Meetings"), "meetings:list", order=30)
    area_link("decide", _("Votes"), "votes:list", order=40)
    account_link(_("My registrations"), "meetings:mine", order=40)
    account_link(_("My votes"), "votes:mine", order=50)

"""Residents' needs in the search layer: the public ones (every status but rejected), by what the public
needs list shows of them and nothing more.

The list (/needs/) shows a need's title, category, place, date and status; its description, answer,
photos, the resident's name (even when they chose to show it on the need's page), contact name and phone
and the ticket number are left out of the index: a resident may write an address or a phone number into
the description, and the index must never hold one.
"""

from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def document(need):
    from .models import PUBLIC_STATUSES

    if need.status not in PUBLIC_STATUSES:
        return None
    return Document(
        title=need.title,
        url=need.get_absolute_url(),
        region_id=need.region_id,
        category_id=need.category_id,
        status=need.status,
        dated=need.created_at,
    )


def register():
    from search import registry

    from .models import Need, NeedStatus

    registry.register(
        SearchType(
            name="need",
            label=_("Needs"),
            model=Need,
            document=document,
            # `document` reads the need's own columns only.
            queryset=lambda: Need.objects.all(),
            order=30,
            status_labels=lambda: dict(NeedStatus.choices),
        )
    )

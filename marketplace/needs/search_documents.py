"""Residents' needs in the search layer, as two types.

"need" (public): every status but rejected, by what the public needs list shows of them and nothing more.
The list (/needs/) shows a need's title, category, place, date and status; its description, answer,
photos, the resident's name (even when they chose to show it on the need's page), contact name and phone
and the ticket number are left out of the index: a resident may write an address or a phone number into
the description, and the index must never hold one. The title's every dictionary word is added to the
words it is found by (similar.py says why).

"need_case" (staff): what staff read of a need in their work queue, found only within the regions a staff
member's query names (search.backends.base.Query.within): title, description, the place's name and the
hotline ticket number. Not the resident's contact name or phone; a mobile or identity-card number written
into the description is blanked, so nobody can look a resident up by their number.
"""

import re

from django.utils.translation import gettext_lazy as _

from search.backends.base import STAFF
from search.registry import Document, SearchType

CASE_SEARCH_LIMIT = 500  # the queue is narrowed to this many best matches
# A mainland mobile number or an 18-character identity-card number, not inside a longer run of digits.
PERSONAL_NUMBER = re.compile(r"(?<![0-9])(?:1[3-9][0-9]{9}|[0-9]{17}[0-9Xx])(?![0-9])")


def document(need):
    from .models import PUBLIC_STATUSES
    from .similar import telling_words

    if need.status not in PUBLIC_STATUSES:
        return None
    return Document(
        title=need.title,
        url=need.get_absolute_url(),
        text=" ".join(telling_words(need.title)),
        region_id=need.region_id,
        category_id=need.category_id,
        status=need.status,
        dated=need.created_at,
    )


def case_document(need):
    from .similar import telling_words

    description = PERSONAL_NUMBER.sub(" ", need.description)
    return Document(
        title=need.title,
        url=need.get_absolute_url(),
        text=" ".join([*telling_words(need.title), description, need.region.name, need.external_ref]),
        region_id=need.region_id,
        category_id=need.category_id,
        status=need.status,
        dated=need.created_at,
        audience=STAFF,
    )


def find_cases(text, *, regions, limit=CASE_SEARCH_LIMIT):
    """(ids, partial) of the needs (of any status) whose queue words hold every word of `text` (partial: no
    need holds them all, those holding most are given), within `regions`' subtrees (no regions: anywhere,
    for a department officer, whose queue the caller limits itself), best first; ids is None when the
    search layer is not answering."""
    from search.query import search

    answer = search(text, doc_type="need_case", audience=STAFF, within=tuple(r.path for r in regions), page_size=limit)
    if answer.failed:
        return None, False
    return [hit.object_id for hit in answer.hits], answer.partial


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
    registry.register(
        SearchType(
            name="need_case",
            label=_("Needs in the work queue"),
            model=Need,
            document=case_document,
            queryset=lambda: Need.objects.select_related("region"),
            order=31,
            status_labels=lambda: dict(NeedStatus.choices),
            audience=STAFF,
        )
    )

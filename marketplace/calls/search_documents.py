"""Funding calls in the search layer: published ones (open, in review, in public notice, decided), by
their title, English title and what they fund. Drafts and cancelled calls are not public."""

from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def document(call):
    from .models import PUBLIC_CALL_STATUSES

    if call.status not in PUBLIC_CALL_STATUSES:
        return None
    return Document(
        title=call.title,
        title_en=call.title_en,
        url=call.get_absolute_url(),
        summary=call.summary,
        region_id=call.region_id,
        status=call.status,
        dated=call.opens_at,  # the date the public list orders calls by
    )


def register():
    from search import registry

    from .models import CallStatus, FundingCall

    registry.register(
        SearchType(
            name="call",
            label=_("Funding calls"),
            model=FundingCall,
            document=document,
            # `document` reads the call's own columns only.
            queryset=lambda: FundingCall.objects.all(),
            order=50,
            boost=0.5,
            status_labels=lambda: dict(CallStatus.choices),
        )
    )

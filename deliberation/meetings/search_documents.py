"""Meetings in the search layer: public ones (announced, registration closed, held, minuted, and
cancelled, as the meeting list shows them), by title, description and place; the region is the
council's. Drafts are seen by staff only."""

from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def document(meeting):
    if not meeting.is_public:
        return None
    return Document(
        title=meeting.title,
        url=meeting.get_absolute_url(),
        summary=meeting.description,
        text=meeting.place,
        region_id=meeting.council.region_id,
        status=meeting.status,
        dated=meeting.starts_at,
    )


def register():
    from search import registry

    from .models import Meeting, MeetingStatus

    registry.register(
        SearchType(
            name="meeting",
            label=_("Meetings"),
            model=Meeting,
            document=document,
            queryset=lambda: Meeting.objects.select_related("council"),
            order=70,
            boost=0.3,
            status_labels=lambda: dict(MeetingStatus.choices),
        )
    )

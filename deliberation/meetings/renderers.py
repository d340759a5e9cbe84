"""The minutes' PDF, on the shared rendered-files path (WeasyPrint, the CJK font)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from portal.core.pdf import DEFAULT_FACE, cjk_font_file, font_face_css, html_to_pdf
from portal.core.rendered import Document, forget_files, renderer

MINUTES_PDF = "meeting_minutes_pdf"


def minutes_key(minutes):
    """Names the document and the state it shows: a rewrite gives a new file."""
    return f"{minutes.meeting_id}:{int(minutes.updated_at.timestamp())}"


def render_minutes_pdf(minutes, *, language=None):
    font_file = cjk_font_file()
    meeting = minutes.meeting
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(
            "meetings/minutes_pdf.html",
            {
                "meeting": meeting,
                "minutes": minutes,
                "items": meeting.agenda_items.order_by("order"),
                "follow_ups": meeting.follow_ups.all(),
                "font_css": font_face_css(font_file),
                "font_family": DEFAULT_FACE,
            },
        )
    return html_to_pdf(html, font_file=font_file)


@renderer(MINUTES_PDF)
def minutes_pdf(key):
    from .models import Minutes

    meeting_id, _stamp = key.split(":", 1)
    minutes = Minutes.objects.select_related("meeting__council").filter(meeting_id=meeting_id).first()
    if minutes is None or minutes.published_at is None or minutes_key(minutes) != key:
        return None
    forget_files(MINUTES_PDF, f"{meeting_id}:")
    return Document(render_minutes_pdf(minutes), f"minutes-{meeting_id}.pdf", "application/pdf")

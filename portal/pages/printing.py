"""The print edition of a project book: a PDF rendered by a task, kept per state of the book.

Visitors ask for `<book>/pdf/`: the stored PDF of the book's current state (its
fingerprint) is served through the shared rendered-files path, or the task is queued
and a page that refreshes itself says so (`portal.core.rendered`). The PDF has a
cover, a table of contents, the changes since the previous edition and one page per
project with a QR code to the project's page on the site.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from portal.core.pdf import CJK_FONT_FAMILY, cjk_font_file, font_face_css, html_to_pdf

TEMPLATE = "pages/print/project_book.html"
# A project's page lists this many of the needs it came from, then "and N more".
NEEDS_SHOWN = 10
# A project's summary is cut to this many characters and lines, so that a project fits on one page.
SUMMARY_CHARS, SUMMARY_LINES = 400, 6


BOOK_PDF = "book_pdf"


def serve_book_pdf(request, book):
    """The PDF of the book as it is now, from the rendered-files path (rendered by a task when missing)."""
    from portal.core.rendered import serve_file

    return serve_file(
        request,
        BOOK_PDF,
        book.print_key(),
        pending_context={"title": book.title, "back_url": book.url, "back_label": _("Back to the book")},
    )


def project_url(project):
    """The project's page as an absolute URL, for the QR code and the printed link."""
    return settings.SITE_URL.rstrip("/") + project.get_absolute_url()


def qr_data_uri(url):
    """A PNG QR code as a data: URI (the PDF fetcher loads data: URIs and the font, nothing else)."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4)


def short_summary(text):
    """At most SUMMARY_LINES lines and SUMMARY_CHARS characters: blank lines go, the last line takes the rest."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > SUMMARY_LINES:
        lines = [*lines[: SUMMARY_LINES - 1], " ".join(lines[SUMMARY_LINES - 1 :])]
    return Truncator("\n".join(lines)).chars(SUMMARY_CHARS)


def print_entries(book):
    """The book's entries, each with its project's first needs, page link and QR code (two queries)."""
    from marketplace.needs.models import Need

    # Sliced prefetch: at most NEEDS_SHOWN rows per project, whatever the number of needs.
    needs = Need.objects.public().only("pk", "title", "project_id").order_by("-supporters_count", "created_at", "pk")
    entries = list(
        book.book_entries().prefetch_related(
            Prefetch("project__needs", queryset=needs[:NEEDS_SHOWN], to_attr="print_needs")
        )
    )
    for entry in entries:
        entry.more_needs = max(0, entry.need_count - len(entry.project.print_needs))
        entry.summary = short_summary(entry.project.summary)
        entry.url = project_url(entry.project)
        entry.qr = qr_data_uri(entry.url)
    return entries


def print_context(book, font_css=""):
    """The template context; call it in the book's language (the previous edition is looked up in it)."""
    changes = book.changes_since_previous()
    if changes and not (changes["added"] or changes["funded"] or changes["withdrawn"] or changes["dropped"]):
        changes = None
    return {"book": book, "entries": print_entries(book), "changes": changes, "font_css": font_css}


def render_book_pdf(book):
    """The book as PDF bytes, in the book's language. Slow (WeasyPrint): a task's job, never a request's."""
    font_file = cjk_font_file()
    # Named after the font itself, so the PDF's font list says which font it embeds.
    font_css = font_face_css(font_file, face=CJK_FONT_FAMILY)
    with translation.override(book.locale.language_code):
        html = render_to_string(TEMPLATE, print_context(book, font_css))
    return html_to_pdf(html, font_file=font_file)

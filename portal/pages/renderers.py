"""Documents the CMS pages generate, on the shared rendered-files path."""

from portal.core.rendered import Document, forget_files, renderer

from .printing import BOOK_PDF, render_book_pdf


@renderer(BOOK_PDF)
def book_pdf(key):
    """A project book's print edition, for the state `key` names ("<book id>:<fingerprint>")."""
    from .models import ProjectBookPage

    book_id, _fingerprint = key.split(":", 1)
    book = ProjectBookPage.objects.filter(pk=book_id).first()
    if book is None or book.print_key() != key:
        return None  # gone, or changed while queued: the next visit asks for the new state
    forget_files(BOOK_PDF, f"{book_id}:")  # older states of this book are of no further use
    return Document(render_book_pdf(book), f"{book.slug}.pdf", "application/pdf")

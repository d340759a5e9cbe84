from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command


@shared_task(acks_late=True)
def publish_scheduled_pages_task():
    """Beat job, every minute: publish pages whose go-live time has come, unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


@shared_task(acks_late=True)
def render_project_book_pdf_task(book_id, fingerprint):
    """Render a book's PDF for one state of the book. Idempotent: a state already rendered is kept."""
    from django.core.files.base import ContentFile

    from .models import ProjectBookPage, ProjectBookPrint
    from .printing import lock_key, render_book_pdf

    try:
        book = ProjectBookPage.objects.filter(pk=book_id).first()
        if book is None or ProjectBookPrint.objects.filter(page=book, fingerprint=fingerprint).exists():
            return
        if book.print_fingerprint() != fingerprint:
            fingerprint = book.print_fingerprint()  # changed while queued: render what is there now
        content = render_book_pdf(book)
        document = ProjectBookPrint(page=book, fingerprint=fingerprint)
        document.file.save(f"{book.slug}-{fingerprint}.pdf", ContentFile(content), save=False)
        ProjectBookPrint.objects.get_or_create(page=book, fingerprint=fingerprint, defaults={"file": document.file})
        # Older states of this book are of no further use.
        ProjectBookPrint.objects.filter(page=book).exclude(fingerprint=fingerprint).delete()
    finally:
        cache.delete(lock_key(book_id, fingerprint))

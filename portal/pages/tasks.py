from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command


@shared_task(acks_late=True)
def publish_scheduled_pages_task():
    """Beat job, every minute: publish pages whose go-live time has come, unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


@shared_task(acks_late=True)
def render_project_book_pdf_task(book_id, fingerprint):
    """Render a book's PDF for one state of the book. Idempotent: a state already rendered is kept.

    The lock taken by the view is released on success only: after a failure it expires
    on its own, so a visitor's refreshing pending page doesn't queue a render every few seconds.
    """
    from django.core.files.base import ContentFile

    from .models import ProjectBookPage, ProjectBookPrint
    from .printing import lock_key, render_book_pdf

    book = ProjectBookPage.objects.filter(pk=book_id).first()
    if book is None:
        return
    current = book.print_fingerprint()  # may have changed while queued: render what is there now
    if not ProjectBookPrint.objects.filter(page=book, fingerprint=current).exists():
        document = ProjectBookPrint(page=book, fingerprint=current)
        document.file.save(f"{book.slug}-{current}.pdf", ContentFile(render_book_pdf(book)), save=False)
        ProjectBookPrint.objects.get_or_create(page=book, fingerprint=current, defaults={"file": document.file})
    # Older states of this book are of no further use.
    for old in ProjectBookPrint.objects.filter(page=book).exclude(fingerprint=current):
        old.file.delete(save=False)
        old.delete()
    cache.delete_many([lock_key(book_id, fingerprint), lock_key(book_id, current)])

from celery import shared_task


@shared_task(acks_late=True)
def render_file_task(kind, key):
    """Render and store one generated document (see portal.core.rendered). Idempotent."""
    from django.utils.module_loading import autodiscover_modules

    from .rendered import RENDERERS, render_file

    if kind not in RENDERERS:
        autodiscover_modules("renderers")  # each app registers its documents in renderers.py
    stored = render_file(kind, key)
    return stored.pk if stored else None

"""Generated documents: rendered once per state in a task, stored, served with a permission check.

One path for every file the platform makes (a project book's print edition, the
daily report's PDF and workbook, receipts, award notices, minutes):

- a *renderer* is registered under a kind: `@renderer("book_pdf")` on a function
  `(key) -> Document(content, filename, content_type)`;
- `key` names the document *and the state it shows* (e.g. "12:3f9a…" for book 12 in
  the state with that fingerprint); a changed record gets a new key, so an old file
  is never served for a new state;
- `request_file(kind, key)` returns the stored `RenderedFile`, or queues its
  rendering (once: a lock in the cache) and returns None;
- `serve_file(request, kind, key, filename=…)` answers with the file, or a 202 page
  that refreshes itself while the task runs. The caller checks permission first:
  files live in private storage and are never served by the web server.
"""

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

RENDERERS = {}
LOCK_SECONDS = 600
PENDING_TEMPLATE = "core/rendered_file_pending.html"


@dataclass
class Document:
    content: bytes
    filename: str
    content_type: str


def renderer(kind):
    def register(function):
        RENDERERS[kind] = function
        return function

    return register


def _lock_key(kind, key):
    return f"rendered:{kind}:{key}"


def stored_file(kind, key):
    from .models import RenderedFile

    return RenderedFile.objects.filter(kind=kind, key=key).first()


def request_file(kind, key):
    """The stored file for this state, or None after queueing its rendering (at most once at a time)."""
    from .tasks import render_file_task

    existing = stored_file(kind, key)
    if existing is None and cache.add(_lock_key(kind, key), 1, LOCK_SECONDS):
        render_file_task.delay(kind, key)
        existing = stored_file(kind, key)  # an eager run has just made it
    return existing


def render_file(kind, key):
    """Render and store one document (the task's body). Idempotent: a stored state is kept as it is."""
    from django.utils.module_loading import autodiscover_modules

    from .models import RenderedFile

    if kind not in RENDERERS:
        autodiscover_modules("renderers")
    existing = stored_file(kind, key)
    if existing is not None:
        return existing
    try:
        document = RENDERERS[kind](key)
        if document is None:  # the record is gone, or its state moved on while queued
            return None
        stored = RenderedFile(kind=kind, key=key, filename=document.filename, content_type=document.content_type)
        stored.file.save(f"{kind}/{document.filename}", ContentFile(document.content), save=False)
        try:
            with transaction.atomic():
                stored.save()
        except IntegrityError:  # another worker stored the same state meanwhile
            stored.file.delete(save=False)
            return stored_file(kind, key)
        return stored
    finally:
        cache.delete(_lock_key(kind, key))


def forget_files(kind, prefix):
    """Delete the stored states of one document (key starting with `prefix`): when they are of no more use."""
    from .models import RenderedFile

    for old in RenderedFile.objects.filter(kind=kind, key__startswith=prefix):
        old.file.delete(save=False)
        old.delete()


def serve_file(request, kind, key, *, as_attachment=False, pending_context=None):
    """The file, or a 202 page saying it is being prepared. Check permission before calling this."""
    stored = request_file(kind, key)
    handle = None
    if stored is not None:
        try:
            handle = stored.file.open("rb")
        except FileNotFoundError:  # lost from storage (a restored backup, a cleaned disk): make it again
            logger.warning("rendered file %s %s lost; rendering it again", kind, key)
            stored.delete()
            stored = request_file(kind, key)
            handle = stored.file.open("rb") if stored is not None else None
    if handle is None:
        response = TemplateResponse(request, PENDING_TEMPLATE, pending_context or {}, status=202)
        response["Refresh"] = "3"
        response["Cache-Control"] = "no-store"
        return response
    return FileResponse(
        handle,
        content_type=stored.content_type,
        filename=stored.filename,
        as_attachment=as_attachment,
    )

"""Keeping the index in step with the records: after the commit of every change, a task (eager without a
broker, on the worker with one) rewrites or deletes the record's entry. Saves and deletes are heard
through the model's signals (a status moved by the shared Workflow is a save); the money a ledger entry
adds with `.update()` through its `money.moved` event (portal/core/events.py), whose label names the model.
A change made with `.update()` and no event is seen by the next reindex (`search_check` reports it).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from portal.core import events

from .models import SearchEntry
from .segment import index_terms

logger = logging.getLogger(__name__)
_labels = {}  # "app_label.modelname" -> [type names]


def watch(search_type):
    model = search_type.model
    label = events.label_of(model)
    names = _labels.setdefault(label, [])
    if search_type.name not in names:
        names.append(search_type.name)
    uid = f"search-{search_type.name}"
    post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save", weak=False)
    post_delete.connect(_saved, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    events.subscribe("money.moved", _moved)


def _send(names, pk):
    from .tasks import index_record_task

    for name in names:
        index_record_task.delay(name, pk)  # waits for the commit (portal/celery.py)


def _saved(sender, instance, **kwargs):
    _send(_labels.get(events.label_of(sender), ()), instance.pk)


def _moved(event):
    if event.label in _labels and event.pk is not None:
        _send(_labels[event.label], event.pk)


def entry_fields(search_type, document):
    return {
        "title": document.title[:300],
        "title_en": (document.title_en or "")[:300],
        "summary": (document.summary or "")[:600],
        "url": document.url[:300],
        # Padded with spaces: SQLite finds a whole word as " word ".
        "terms": f" {index_terms(document.title, document.title_en, document.summary, document.text)} ",
        "region_id": document.region_id,
        "category_id": document.category_id,
        "status": document.status or "",
        "language": document.language or "",
        "gap": document.gap,
        "dated": document.dated,
        "expires_at": document.expires_at,
    }


def index_record(name, pk):
    """Write (or delete) the entry of one record from what it is now, in one statement (an upsert), so
    that indexing after every save costs two queries. Idempotent."""
    from . import registry

    search_type = registry.get(name)
    if search_type is None:
        return None
    record = search_type.queryset().filter(pk=pk).first()
    document = search_type.document(record) if record is not None else None
    if document is None:
        SearchEntry.objects.filter(doc_type=name, object_id=pk).delete()
        return None
    fields = entry_fields(search_type, document)
    entry = SearchEntry(doc_type=name, object_id=pk, **fields)
    SearchEntry.objects.bulk_create(
        [entry],
        update_conflicts=True,
        unique_fields=["doc_type", "object_id"],
        update_fields=[*fields, "indexed_at"],
    )
    return entry


def reindex(names=None, *, batch=1000, progress=None):
    """Rebuild the entries of the named types (all by default) in batches; `progress(name, done, total)`
    is called after each batch. Entries of records gone or no longer public are deleted."""
    from . import registry

    written = 0
    for search_type in registry.types():
        if names and search_type.name not in names:
            continue
        queryset = search_type.queryset().order_by("pk")
        total = queryset.count()
        done, last, started = 0, 0, timezone.now()
        while True:
            records = list(queryset.filter(pk__gt=last)[:batch])
            if not records:
                break
            rows = []
            for record in records:
                document = search_type.document(record)
                if document is not None:
                    fields = entry_fields(search_type, document)
                    rows.append(SearchEntry(doc_type=search_type.name, object_id=record.pk, **fields))
            with transaction.atomic():
                SearchEntry.objects.filter(doc_type=search_type.name, object_id__in=[r.pk for r in records]).delete()
                SearchEntry.objects.bulk_create(rows, batch_size=batch)
            written += len(rows)
            done += len(records)
            last = records[-1].pk
            if progress:
                progress(search_type.name, done, total)
        # Entries this pass did not write: records gone or no longer public (written during it: kept).
        SearchEntry.objects.filter(doc_type=search_type.name, indexed_at__lt=started).delete()
    return written

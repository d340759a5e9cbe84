"""Keeping the index in step with the records: after the commit of every change, a task (eager without a
broker, on the worker with one) rewrites or deletes the record's entry. Saves and deletes are heard
through the model's signals (a status moved by the shared Workflow is a save); the money a ledger entry
adds with `.update()` through its `money.moved` event (portal/core/events.py), whose label names the model.
A change made with `.update()` and no event is seen by the next reindex (`search_check` reports it).
"""

import logging

from django.db.models.signals import post_delete, post_save

from portal.core import events

from .backends import get_backend

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


def index_record(name, pk):
    """Write (or delete) the entry of one record from what it is now (one upsert on the database backend,
    so indexing after every save costs two queries). Idempotent."""
    from . import registry

    search_type = registry.get(name, audience=None)
    if search_type is None:
        return None
    record = search_type.queryset().filter(pk=pk).first()
    document = search_type.document(record) if record is not None else None
    get_backend().write(name, pk, document)
    return document


def reindex(names=None, *, batch=1000, progress=None):
    """Rebuild the entries of the named types (all by default) in batches, streaming the records by key;
    `progress(name, done, total)` is called after each batch. Entries of records gone or no longer public
    are dropped at the end (Elasticsearch: the new index replaces the old under its alias)."""
    from . import registry

    backend = get_backend()
    written = 0
    for search_type in registry.types(audience=None):
        if names and search_type.name not in names:
            continue
        queryset = search_type.queryset().order_by("pk")
        total = queryset.count()
        done, last = 0, 0
        token = backend.begin_rebuild(search_type.name)
        while True:
            records = list(queryset.filter(pk__gt=last)[:batch])
            if not records:
                break
            pairs = [(record.pk, search_type.document(record)) for record in records]
            written += backend.write_batch(token, search_type.name, pairs)
            done += len(records)
            last = records[-1].pk
            if progress:
                progress(search_type.name, done, total)
        backend.end_rebuild(token, search_type.name)
    return written

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


def _write_range(search_type, token, low, high, batch, report):
    """Index the records of one type with keys in [low, high), batch by batch; `report(done)` after each."""
    backend = get_backend()
    queryset = search_type.queryset().order_by("pk").filter(pk__gte=low, pk__lt=high)
    written, last = 0, low - 1
    while True:
        records = list(queryset.filter(pk__gt=last)[:batch])
        if not records:
            return written
        pairs = [(record.pk, search_type.document(record)) for record in records]
        written += backend.write_batch(token, search_type.name, pairs)
        last = records[-1].pk
        report(len(records))


def _child(search_type, token, low, high, batch, queue):
    from django.db import connections

    from .backends import _backend_for

    connections.close_all()  # the parent's connection is not this process's to use
    _backend_for.cache_clear()  # nor its Elasticsearch client's sockets
    try:
        written = _write_range(search_type, token, low, high, batch, lambda n: queue.put(("done", n)))
        queue.put(("written", written))
    except BaseException as error:  # the parent says which slice failed, and stops
        queue.put(("failed", f"{search_type.name} [{low}, {high}): {error!r}"))
        raise
    finally:
        connections.close_all()


def _parallel(search_type, token, total, batch, jobs, progress):
    """The type's keys cut into `jobs` ranges, each indexed by a forked process (a core each: cutting the
    words and building the rows is Python's work, not the database's)."""
    import multiprocessing

    from django.db import connections
    from django.db.models import Max, Min

    bounds = search_type.queryset().aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    step = -(-(bounds["high"] - bounds["low"] + 1) // jobs)
    ranges = [(low, min(low + step, bounds["high"] + 1)) for low in range(bounds["low"], bounds["high"] + 1, step)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    connections.close_all()
    children = [
        context.Process(target=_child, args=(search_type, token, low, high, batch, queue)) for low, high in ranges
    ]
    for child in children:
        child.start()
    written = done = finished = 0
    while finished < len(children):
        kind, value = queue.get()
        if kind == "done":
            done += value
            if progress:
                progress(search_type.name, done, total)
        elif kind == "written":
            written += value
            finished += 1
        else:
            for child in children:
                child.terminate()
            raise RuntimeError(f"indexing failed: {value}")
    for child in children:
        child.join()
    return written


def reindex(names=None, *, batch=1000, progress=None, jobs=1):
    """Rebuild the entries of the named types (all by default) in batches, streaming the records by key;
    `progress(name, done, total)` is called after each batch. With `jobs` > 1 each type's keys are cut into
    that many ranges indexed by forked processes at once. Entries of records gone or no longer public are
    dropped at the end (Elasticsearch: the new index replaces the old under its alias)."""
    from . import registry

    backend = get_backend()
    written = 0
    for search_type in registry.types(audience=None):
        if names and search_type.name not in names:
            continue
        total = search_type.queryset().count()
        token = backend.begin_rebuild(search_type.name)
        if jobs > 1 and total > batch:
            written += _parallel(search_type, token, total, batch, jobs, progress)
        else:
            done = 0

            def report(n, name=search_type.name, total=total):
                nonlocal done
                done += n
                if progress:
                    progress(name, done, total)

            written += _write_range(search_type, token, 0, 2**63 - 1, batch, report)
            if progress and not total:
                progress(search_type.name, 0, 0)
        backend.end_rebuild(token, search_type.name)
    return written

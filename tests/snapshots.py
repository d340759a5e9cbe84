"""The rows a common fixture writes, written again for each later test with one bulk insert per table.

`tree` and `people` build a district and a user per role through the factories and the models' own
`save()` (treebeard's paths, allauth's addresses, the search index's entries): about 150 queries, most of
an ordinary unit test's time. What they leave is the same every time. The first test of a process that
asks for one builds it for real and remembers the rows it added, table by table; every later test gets
those rows again (the same ids) in one `bulk_create` per model, and the fixture's objects are read back
by id. Every test still rolls them back with the rest of its data.

Times are kept relative: a row written at the first build "now" is written again at the later test's
"now" (a test that travels in time before asking for `people` gets people created then, as before).
"""

import datetime
from types import SimpleNamespace

from django.apps import apps
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

_stash = {}


def _tables():
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]


def _keys(model):
    return set(model._base_manager.values_list("pk", flat=True))


def _references(value):
    """(model, pk) for each model instance the fixture returns; anything else as it is."""
    return {
        name: (type(item), item.pk) if isinstance(item, models.Model) else ("value", item)
        for name, item in vars(value).items()
    }


def _shift(model, rows, delta):
    fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateField)]
    if not fields or not delta:
        return rows
    shifted = []
    for row in rows:
        row = dict(row)
        for name in fields:
            value = row.get(name)
            if isinstance(value, datetime.datetime):
                row[name] = value + delta
            elif isinstance(value, datetime.date):
                row[name] = value + datetime.timedelta(days=delta.days)
        shifted.append(row)
    return shifted


def remembered(name, build):
    """`build()`'s SimpleNamespace of records: built the first time, written again from its rows after."""
    if not connection.in_atomic_block:
        # A committing test (a browser journey, a real worker) flushes the database when it ends and loads
        # the serialized data again: built for real there, and never remembered from there.
        return build()
    stash = _stash.get(name)
    if stash is None:
        tables = _tables()
        before = {model: _keys(model) for model in tables}
        built_at = timezone.now()
        value = build()
        rows = {}
        for model in tables:
            added = _keys(model) - before[model]
            if added:
                rows[model] = list(model._base_manager.filter(pk__in=added).values())
        # A model with parents (multi-table inheritance) cannot be bulk-written: build such fixtures each time.
        _stash[name] = (rows, built_at, _references(value)) if not any(m._meta.parents for m in rows) else False
        return value
    if stash is False:
        return build()
    rows, built_at, references = stash
    delta = timezone.now() - built_at
    try:
        with transaction.atomic():
            for model, values in rows.items():
                model._base_manager.bulk_create([model(**row) for row in _shift(model, values, delta)])
    except IntegrityError:
        # SQLite hands out again the ids a rolled-back test used: a row the test wrote before asking for
        # the fixture may hold one of the remembered ids. Built for real then, as before.
        return build()
    wanted = {}
    for kind, pk in references.values():
        if kind != "value":
            wanted.setdefault(kind, set()).add(pk)
    found = {model: model._default_manager.in_bulk(pks) for model, pks in wanted.items()}
    return SimpleNamespace(
        **{name: found[kind][pk] if kind != "value" else pk for name, (kind, pk) in references.items()}
    )

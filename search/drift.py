"""How far the index is from the records, per type: what a reindex would add, rewrite or delete."""

from . import registry
from .backends import get_backend

COMPARED = (
    "title",
    "title_en",
    "summary",
    "url",
    "terms",
    "region_id",
    "region_path",
    "audience",
    "category_id",
    "status",
    "gap",
    "language",
    "expires_at",
)


def drift(batch=2000):
    from .backends.fields import entry_fields
    from .backends.fields import region_paths as _region_paths

    backend = get_backend()
    report = {}
    for search_type in registry.types(audience=None):
        entries = backend.stored(search_type.name)
        missing = stale = 0
        seen = set()
        queryset = search_type.queryset().order_by("pk")
        last = 0
        while True:
            records = list(queryset.filter(pk__gt=last)[:batch])
            if not records:
                break
            last = records[-1].pk
            documents = {record.pk: search_type.document(record) for record in records}
            paths = _region_paths(documents.values())
            for pk, document in documents.items():
                if document is None:
                    continue
                seen.add(pk)
                entry = entries.get(pk)
                if entry is None:
                    missing += 1
                elif any(entry.get(k) != v for k, v in entry_fields(document, paths).items() if k in COMPARED):
                    stale += 1
        report[search_type.name] = {"missing": missing, "stale": stale, "left_over": len(set(entries) - seen)}
    return report

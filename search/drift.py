"""How far the index is from the records, per type: what a reindex would add, rewrite or delete."""

from . import registry
from .indexing import entry_fields
from .models import SearchEntry

COMPARED = (
    "title",
    "title_en",
    "summary",
    "url",
    "terms",
    "region_id",
    "category_id",
    "status",
    "gap",
    "language",
    "expires_at",
)


def drift(batch=2000):
    report = {}
    for search_type in registry.types():
        entries = {
            e["object_id"]: e
            for e in SearchEntry.objects.filter(doc_type=search_type.name).values("object_id", *COMPARED)
        }
        missing = stale = 0
        seen = set()
        queryset = search_type.queryset().order_by("pk")
        last = 0
        while True:
            records = list(queryset.filter(pk__gt=last)[:batch])
            if not records:
                break
            last = records[-1].pk
            for record in records:
                document = search_type.document(record)
                if document is None:
                    continue
                seen.add(record.pk)
                entry = entries.get(record.pk)
                if entry is None:
                    missing += 1
                elif any(entry[k] != v for k, v in entry_fields(search_type, document).items() if k in COMPARED):
                    stale += 1
        report[search_type.name] = {"missing": missing, "stale": stale, "left_over": len(set(entries) - seen)}
    return report

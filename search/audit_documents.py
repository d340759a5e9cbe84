"""The audit log in the search layer: a staff type, found only by those who may read the log.

portal.audit sits below search and imports none of it, so the log is registered from here (the search
app's `ready`), and the log's page asks through the finder this module installs (portal/audit/finder.py).
An entry is found by its action, who took it, what it was done to and its note; the before and after
values are not indexed (a role's region id, an amount: numbers nobody searches by words).
"""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .backends.base import STAFF
from .registry import Document, SearchType

FOUND_LIMIT = 500  # the log page is narrowed to this many best matches


def document(entry):
    return Document(
        title=f"{entry.action} {entry.target_repr}".strip(),
        url=f"{reverse('audit_log')}?{urlencode({'entry': entry.pk})}",
        summary=entry.note,
        text=f"{entry.actor_repr} {entry.action.replace('.', ' ').replace('_', ' ')}",
        dated=entry.created_at,
        audience=STAFF,
    )


def find(text, limit=FOUND_LIMIT):
    """The ids of the entries holding every word of `text` (or most of them), best first; None when the
    layer is not answering. The page checks the reader's permission: the log has no regions to limit by."""
    from .query import search

    answer = search(text, doc_type="audit", audience=STAFF, page_size=limit)
    return None if answer.failed else [hit.object_id for hit in answer.hits]


def register():
    from portal.audit import finder
    from portal.audit.models import AuditEntry

    from . import registry

    registry.register(
        SearchType(
            name="audit",
            label=_("Audit log entries"),
            model=AuditEntry,
            document=document,
            queryset=lambda: AuditEntry.objects.all(),
            order=900,
            audience=STAFF,
        )
    )
    finder.install(find)

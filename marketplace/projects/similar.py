"""Projects to suggest on a project's page ("You may also support"): published ones like it that still want
money, from the search layer.

Two queries whatever the number of projects: the layer's one (the records sharing most of the project's
words, asked by the words of its public document, which the page has already read: asking by its id would
read its entry first) and one for the projects themselves, read as they are now (an entry not yet rewritten
after a gift cannot show a project that is already funded); none of the second when nothing is alike. The
panel is part of the page's anonymous copy (portal/core/kept_views.py): a gift, a status move or an index
write renews the data version and retires it, and a funding deadline among the projects shown ends the
copy when it passes.
"""

from django.db.models import Q
from django.utils import timezone

from search.query import similar

from .models import Project, ProjectStatus
from .search_documents import document as search_document

SHOWN = 3
ASKED = 12  # hits asked of the layer: some are funded since, or closed for funding
CARD_FIELDS = ("id", "title", "status", "budget", "target", "amount_raised", "funding_deadline", "wants_funds")


def projects_to_support(project, limit=SHOWN):
    """Up to `limit` published projects like `project` still short of money and open for it, best first."""
    document = search_document(project)
    if document is None:  # a draft is in no index, and nothing is suggested beside it
        return []
    words = " ".join((document.title, document.title_en, document.summary, document.text))
    hits = similar("project", text=words, types=("project",), statuses=(ProjectStatus.PUBLISHED,), limit=ASKED + 1)
    ids = [hit.object_id for hit in hits if hit.object_id != project.pk]
    if not ids:
        return []
    open_for_money = Q(funding_deadline__isnull=True) | Q(funding_deadline__gt=timezone.now())
    rows = Project.objects.filter(open_for_money, pk__in=ids, status=ProjectStatus.PUBLISHED, wants_funds=True)
    by_pk = {p.pk: p for p in rows.only(*CARD_FIELDS)}
    return [by_pk[pk] for pk in ids if pk in by_pk and by_pk[pk].funding_gap > 0][:limit]

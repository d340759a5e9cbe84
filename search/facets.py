"""The search page's and the API's filters, read from a request, and the facets' labels.

Both read the same parameters (`type`, `status`, `category`, `region`, `wanted`, `year`, `sort`, `page`)
into one `Query`; a value that names nothing is dropped by the page and refused by the API.
"""

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from portal.core.models import Category
from portal.regions.models import Region

from . import registry


def region_path(region_id):
    """The materialised path of a region (its whole subtree is searched), or None for no such region."""
    return Region.objects.filter(pk=region_id).values_list("path", flat=True).first()


def labelled(answer, doc_type=""):
    """The answer's facets as [(name, title, [(value, label, count)])], largest first, values labelled."""
    facets = answer.facets
    groups = []
    if doc_type and facets.get("status"):
        statuses = registry.get(doc_type).status_labels
        names = statuses() if statuses else {}
        groups.append(("status", _("Status"), [(v, names.get(v, v), n) for v, n in _largest(facets["status"])]))
    if facets.get("category"):
        names = {c.pk: c.display_name for c in Category.objects.filter(pk__in=list(facets["category"]))}
        values = [(v, names[v], n) for v, n in _largest(facets["category"]) if v in names]
        groups.append(("category", _("Category"), values))
    if facets.get("region"):
        streets = {r.path: r for r in Region.objects.filter(path__in=list(facets["region"]))}
        values = [(streets[p].pk, streets[p].display_name, n) for p, n in _largest(facets["region"]) if p in streets]
        groups.append(("region", _("Street"), values))
    if facets.get("wanted", {}).get("yes"):
        groups.append(("wanted", _("Funding"), [("1", _("Still short of money"), facets["wanted"]["yes"])]))
    if facets.get("year"):
        years = sorted(facets["year"].items(), reverse=True)
        groups.append(("year", _("Year"), [(y, str(y), n) for y, n in years]))
    return [group for group in groups if group[2]]


def _largest(counts):
    return sorted(counts.items(), key=lambda pair: (-pair[1], str(pair[0])))


class _Counted(list):
    """A paginator's object list of which only the fetched page is held: its length is the total."""

    def __init__(self, hits, total, start):
        super().__init__(hits)
        self.total, self.start = total, start

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def __getitem__(self, key):
        if isinstance(key, slice):
            return list.__getitem__(self, slice(key.start - self.start, key.stop - self.start))
        return list.__getitem__(self, key - self.start)


def page_of(answer, number, page_size):
    """A Django Page of the answer's hits (for includes/pagination.html and the API's links)."""
    start = (number - 1) * page_size
    paginator = Paginator(_Counted(answer.hits, answer.total, start), page_size)
    return Page(answer.hits, number, paginator)

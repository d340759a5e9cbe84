"""Similar needs: same category, same community, text that overlaps.

The candidates are the newest open needs of the community and category (a
bounded set, so this costs the same whatever the number of needs); the search
layer ranks them by text similarity.
"""

from portal.regions.models import RegionLevel
from search.backends import get_backend
from search.text import bigrams, similarity

__all__ = ["CANDIDATES", "bigrams", "similar_needs", "similarity"]

from .models import OPEN_STATUSES, Need

CANDIDATES = 200


def community_of(region):
    return region.ancestor_at(RegionLevel.COMMUNITY) or region


def similar_needs(*, region, category, text, exclude=None, limit=5, threshold=0.12):
    area = community_of(region)
    candidates = (
        Need.objects.filter(region__path__startswith=area.path, category=category, status__in=OPEN_STATUSES)
        .select_related("region", "category")
        .order_by("-created_at")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    return get_backend().rank_similar(list(candidates[:CANDIDATES]), text, limit=limit, threshold=threshold)

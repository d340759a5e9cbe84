"""Similar needs: same category, same community, text that overlaps.

Chinese has no spaces, so text is compared as sets of character bigrams
(Jaccard similarity) — cheap, dependency-free and good at catching "小区路灯不亮"
against "路灯坏了不亮". The candidate set is bounded, so this costs the same
whatever the number of needs.
"""

from portal.regions.models import Region, RegionLevel

from .models import OPEN_STATUSES, Need

CANDIDATES = 200


def bigrams(text):
    text = "".join(ch for ch in (text or "").lower() if ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def similarity(a, b):
    x, y = bigrams(a), bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def community_of(region):
    if region.level in (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY):
        return region
    return Region.objects.get(path=region.path[: Region.steplen * 3])


def similar_needs(*, region, category, text, exclude=None, limit=5, threshold=0.12):
    area = community_of(region)
    candidates = (
        Need.objects.filter(region__path__startswith=area.path, category=category, status__in=OPEN_STATUSES)
        .select_related("region", "category")
        .order_by("-created_at")
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    scored = [(similarity(text, f"{n.title} {n.description}"), n) for n in candidates[:CANDIDATES]]
    scored = [pair for pair in scored if pair[0] >= threshold]
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [n for _score, n in scored[:limit]]

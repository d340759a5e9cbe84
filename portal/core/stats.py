from django.core.cache import cache
from django.db.models import Count

from portal.organisations.models import Organisation, OrganisationKind
from portal.regions.models import Region, RegionLevel


def home_counters():
    """Figures on the home page; cached briefly, later issues add needs, projects and meetings."""

    def compute():
        by_level = dict(
            Region.objects.filter(level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY, RegionLevel.GRID])
            .order_by()
            .values_list("level")
            .annotate(n=Count("id"))
        )
        return {
            "streets": by_level.get(RegionLevel.STREET, 0),
            "communities": by_level.get(RegionLevel.COMMUNITY, 0),
            "grids": by_level.get(RegionLevel.GRID, 0),
            "ngos": Organisation.objects.verified().filter(kind=OrganisationKind.NGO).count(),
            "funders": Organisation.objects.verified()
            .filter(kind__in=[OrganisationKind.COMPANY, OrganisationKind.FOUNDATION])
            .count(),
        }

    return cache.get_or_set("home_counters", compute, 60)

from django.core.cache import cache
from django.db.models import Count, Q, Sum

from portal.organisations.models import Organisation, OrganisationKind
from portal.regions.models import Region, RegionLevel

CACHE_KEY = "home_counters"


def home_counters():
    """The district's live figures on the home page; cached for a minute and dropped when projects change."""

    def compute():
        from deliberation.meetings.models import Meeting, MeetingStatus
        from marketplace.needs.models import Need, NeedStatus
        from marketplace.projects.models import FUNDED_STATUSES, Project

        HELD_STATUSES = (MeetingStatus.HELD, MeetingStatus.MINUTES_PUBLISHED)

        by_level = dict(
            Region.objects.filter(level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY, RegionLevel.GRID])
            .order_by()
            .values_list("level")
            .annotate(n=Count("id"))
        )
        projects = Project.objects.aggregate(
            funded=Count("id", filter=Q(status__in=FUNDED_STATUSES)), raised=Sum("amount_raised")
        )
        return {
            "needs_handled": Need.objects.filter(
                status__in=[NeedStatus.ANSWERED, NeedStatus.FOLLOWED_UP, NeedStatus.CLOSED]
            ).count(),
            "projects_funded": projects["funded"],
            "money_raised": projects["raised"] or 0,
            # The meetings the meeting list shows as held (with or without their minutes published).
            "meetings_held": Meeting.objects.filter(status__in=HELD_STATUSES).count(),
            "streets": by_level.get(RegionLevel.STREET, 0),
            "communities": by_level.get(RegionLevel.COMMUNITY, 0),
            "grids": by_level.get(RegionLevel.GRID, 0),
            "ngos": Organisation.objects.verified().filter(kind=OrganisationKind.NGO).count(),
            "funders": Organisation.objects.verified()
            .filter(kind__in=[OrganisationKind.COMPANY, OrganisationKind.FOUNDATION])
            .count(),
        }

    return cache.get_or_set(CACHE_KEY, compute, 60)


def forget_home_counters():
    cache.delete(CACHE_KEY)

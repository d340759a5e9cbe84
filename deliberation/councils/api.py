from django.db.models import Prefetch
from rest_framework import viewsets

from portal.api import routes
from portal.api.pagination import StandardPagination
from portal.phases.models import Phase

from .models import Council, CouncilMember
from .serializers import CouncilSerializer


class CouncilViewSet(viewsets.ReadOnlyModelViewSet):
    """Councils (居民议事会) and the district hearing centre: public, with their serving members and the
    phases open now (`collect_topics`: residents of the region may propose topics)."""

    serializer_class = CouncilSerializer
    pagination_class = StandardPagination

    def get_queryset(self):
        return (
            Council.objects.filter(is_active=True)
            .select_related("region")
            .prefetch_related(
                Prefetch(
                    "members",
                    queryset=CouncilMember.objects.serving().order_by("role", "name"),
                    to_attr="serving_members",
                ),
                Prefetch("phases", queryset=Phase.objects.open_at(), to_attr="open_phases"),
            )
            .order_by("region__path", "level", "name")
        )


routes.register("councils", CouncilViewSet, basename="council")

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated

from portal.api import routes
from portal.api.permissions import RulesPermission
from portal.core.ids import IdFilter
from portal.core.models import Category
from portal.organisations.models import Organisation
from portal.regions.models import Region

from . import services
from .actions import ACTIONS
from .models import Channel, Need, ServiceLevel
from .serializers import NeedDetailSerializer, NeedSerializer


class NeedFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__slug")
    region = IdFilter(method="filter_region", label="region id (its whole subtree)")
    mine = django_filters.BooleanFilter(method="filter_mine", label="only my own needs")

    class Meta:
        model = Need
        fields = ["status", "channel", "is_overdue", "department"]

    def filter_region(self, queryset, name, value):
        region = Region.objects.filter(pk=value).first()
        return queryset.filter(region__path__startswith=region.path) if region else queryset.none()

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(submitted_by=user) if value and user.is_authenticated else queryset


class NeedCursorPagination(CursorPagination):
    """Newest first, without counting a million rows for every page."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NeedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Residents' needs and their lifecycle. Public lists hide personal data; actions are POST sub-routes
    (`/api/v1/needs/{id}/accept/`, `…/dispatch/`…), the same actions with the same permissions as the need page."""

    permission_classes = [RulesPermission]
    filterset_class = NeedFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = NeedCursorPagination
    permission_map = {"create": "needs.add_need", "retrieve": "needs.view_need", **ACTIONS.permission_map()}

    def get_serializer_class(self):
        return NeedDetailSerializer if self.action == "retrieve" else NeedSerializer

    def get_queryset(self):
        queryset = Need.objects.visible_to(self.request.user).select_related("category", "region", "submitted_by")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events")
        return queryset.order_by("-created_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        channel = data.pop("channel", Channel.WEB)
        serializer.instance = services.submit_need(by=self.request.user, channel=channel, **data)

    def _after_action(self, need, returned):
        return self.get_queryset().prefetch_related("events").get(pk=need.pk)

    locals().update(ACTIONS.api_methods(response=NeedDetailSerializer, result=_after_action))


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "name_en", "slug", "region", "contact_phone"]


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Verified government departments that needs are dispatched to."""

    serializer_class = DepartmentSerializer
    queryset = Organisation.objects.departments().order_by("name")


class ServiceLevelSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all(), allow_null=True)

    class Meta:
        model = ServiceLevel
        fields = ["id", "category", "channel", "hours_to_accept", "working_days_to_answer"]


class ServiceLevelViewSet(viewsets.ReadOnlyModelViewSet):
    """Deadlines per category and channel. Edited by staff in the admin."""

    serializer_class = ServiceLevelSerializer
    queryset = ServiceLevel.objects.select_related("category").order_by("category__slug", "channel")
    permission_classes = [IsAuthenticated]


routes.register("needs", NeedViewSet, basename="need")
routes.register("departments", DepartmentViewSet, basename="department")
routes.register("service-levels", ServiceLevelViewSet, basename="service-level")

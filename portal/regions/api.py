import django_filters
from rest_framework import serializers, viewsets

from portal.core.ids import IdFilter

from .models import Region, RegionLevel


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = ["id", "code", "name", "name_en", "level", "depth", "parent", "numchild"]

    def get_parent(self, obj) -> int | None:
        parents = self.context.get("parents", {})
        return parents.get(obj.path[: -Region.steplen])


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = IdFilter(method="filter_parent", label="parent region id")
    within = IdFilter(method="filter_within", label="region id whose subtree to list")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["level"]

    def filter_parent(self, queryset, name, value):
        parent = Region.objects.filter(pk=value).first()
        if parent is None:
            return queryset.none()
        return queryset.filter(path__startswith=parent.path, depth=parent.depth + 1)

    def filter_within(self, queryset, name, value):
        region = Region.objects.filter(pk=value).first()
        return queryset.within(region) if region else queryset.none()


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The region tree: district → street → community → grid → sub-grid. Public."""

    queryset = Region.objects.order_by("path")
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    ordering_fields = ["path", "name", "code"]

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One query for the parents of a page of regions, keyed by path.
        page = getattr(self, "_page_paths", None)
        if page:
            context["parents"] = dict(Region.objects.filter(path__in=page).values_list("path", "pk"))
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._page_paths = {r.path[: -Region.steplen] for r in page if r.depth > 1}
        return page

    def get_object(self):
        obj = super().get_object()
        if obj.depth > 1:
            self._page_paths = {obj.path[: -Region.steplen]}
        return obj

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.accounts.models import Role
from portal.accounts.roles import REGIONAL_STAFF_ROLES, has_role, role_facts, scope_regions
from portal.api.permissions import RulesPermission
from portal.core.models import Category
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.organisations.models import Organisation
from portal.regions.models import Region, subtree_q

from . import services
from .forms import DEADLINE_RANGE
from .models import PUBLIC_STATUSES, Channel, Need, NeedEvent, ServiceLevel


class NeedEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedEvent
        fields = ["kind", "from_status", "to_status", "note", "created_at"]


class NeedSerializer(serializers.ModelSerializer):
    """Public fields; contact details only for those allowed to see them (see to_representation)."""

    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    public_name = serializers.CharField(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    PRIVATE = ("contact_name", "contact_phone", "external_ref")

    class Meta:
        model = Need
        fields = [
            "id",
            "url",
            "title",
            "description",
            "category",
            "region",
            "channel",
            "status",
            "public_name",
            "show_name_publicly",
            "contact_name",
            "contact_phone",
            "external_ref",
            "department",
            "assignee",
            "project",
            "answer",
            "rating",
            "supporters_count",
            "is_overdue",
            "escalation_level",
            "created_at",
            "accept_deadline",
            "answer_deadline",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = [
            "status",
            "department",
            "assignee",
            "project",
            "answer",
            "rating",
            "supporters_count",
            "is_overdue",
            "escalation_level",
            "created_at",
            "accept_deadline",
            "answer_deadline",
            "answered_at",
            "closed_at",
        ]
        extra_kwargs = {"channel": {"required": False}, "external_ref": {"validators": []}}

    def to_representation(self, need):
        data = super().to_representation(need)
        request = self.context.get("request")
        if request is None or not request.user.has_perm("needs.view_need_private", need):
            for field in self.PRIVATE:
                data.pop(field, None)
        return data


class NeedDetailSerializer(NeedSerializer):
    timeline = NeedEventSerializer(source="events", many=True, read_only=True)

    class Meta(NeedSerializer.Meta):
        fields = [*NeedSerializer.Meta.fields, "timeline"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class ReasonSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_TEXT)


class DispatchSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.departments())
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None, validators=[DEADLINE_RANGE])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=LONG_TEXT)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())


class MergeSerializer(serializers.Serializer):
    needs = serializers.PrimaryKeyRelatedField(queryset=Need.objects.all(), many=True, required=False, default=list)
    title = serializers.CharField(max_length=160)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=LONG_TEXT)


class NeedFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(field_name="category__slug")
    region = django_filters.NumberFilter(method="filter_region", label="region id (its whole subtree)")
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
    """Residents' needs and their lifecycle. Public lists hide personal data; actions are POST sub-routes."""

    permission_classes = [RulesPermission]
    filterset_class = NeedFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = NeedCursorPagination
    permission_map = {
        "create": "needs.add_need",
        "retrieve": "needs.view_need",
        "accept": "needs.triage_need",
        "reject": "needs.triage_need",
        "dispatch_to_department": "needs.triage_need",
        "refer": "needs.triage_need",
        "close": "needs.triage_need",
        "merge": "needs.triage_need",
        "assign": "needs.triage_need",
        "answer": "needs.answer_need",
        "rate": "needs.rate_need",
        "support": "needs.support_need",
    }

    def get_serializer_class(self):
        return NeedDetailSerializer if self.action == "retrieve" else NeedSerializer

    def get_queryset(self):
        user = self.request.user
        visible = Q(status__in=PUBLIC_STATUSES)
        if user.is_authenticated:
            visible |= Q(submitted_by=user)
            regions = scope_regions(user, REGIONAL_STAFF_ROLES)
            if regions:
                visible |= subtree_q(regions)
            if has_role(user, Role.DEPARTMENT_OFFICER):
                visible |= Q(department_id__in=role_facts(user).verified_organisation_ids)
        queryset = Need.objects.filter(visible).select_related("category", "region", "submitted_by")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events")
        return queryset.order_by("-created_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        channel = data.pop("channel", Channel.WEB)
        serializer.instance = services.submit_need(by=self.request.user, channel=channel, **data)

    def _act(self, request, serializer_class, call):
        need = self.get_object()
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        result = call(need, payload.validated_data)
        need = result[1][0] if isinstance(result, tuple) else result
        need = self.get_queryset().get(pk=need.pk)
        return Response(NeedDetailSerializer(need, context=self.get_serializer_context()).data)

    @extend_schema(request=NoteSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._act(request, NoteSerializer, lambda n, d: services.accept_need(by=request.user, need=n, **d))

    @extend_schema(request=ReasonSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._act(
            request, ReasonSerializer, lambda n, d: services.reject_need(by=request.user, need=n, reason=d["note"])
        )

    @extend_schema(request=DispatchSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_to_department(self, request, pk=None):  # not `dispatch`: that is the view's entry point
        return self._act(request, DispatchSerializer, lambda n, d: services.dispatch_need(by=request.user, need=n, **d))

    @extend_schema(request=NoteSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def refer(self, request, pk=None):
        return self._act(request, NoteSerializer, lambda n, d: services.refer_need(by=request.user, need=n, **d))

    @extend_schema(request=AnswerSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        return self._act(request, AnswerSerializer, lambda n, d: services.answer_need(by=request.user, need=n, **d))

    @extend_schema(request=RateSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        return self._act(request, RateSerializer, lambda n, d: services.rate_need(by=request.user, need=n, **d))

    @extend_schema(request=NoteSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._act(request, NoteSerializer, lambda n, d: services.close_need(by=request.user, need=n, **d))

    @extend_schema(request=None, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        return self._act(request, NoteSerializer, lambda n, d: services.support_need(by=request.user, need=n))

    @extend_schema(request=AssignSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Give the need to a grid worker or staff member who covers its region."""
        return self._act(request, AssignSerializer, lambda n, d: services.assign_need(by=request.user, need=n, **d))

    @extend_schema(request=MergeSerializer, responses=NeedDetailSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge this need (and any others listed) into a new project."""

        def call(need, data):
            others = [n for n in data["needs"] if n.pk != need.pk]
            return services.merge_needs(
                by=request.user, needs=[need, *others], title=data["title"], summary=data["summary"]
            )

        return self._act(request, MergeSerializer, call)


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "slug", "region", "contact_phone"]


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

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api import routes
from portal.api.permissions import RulesPermission
from portal.core.models import Category
from portal.regions.models import Region

from . import services
from .models import GridLog, Issue, Visit


class VisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Visit
        fields = ["kind", "person_name", "address", "notes"]


class IssueSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())

    class Meta:
        model = Issue
        fields = ["id", "description", "category", "need"]
        read_only_fields = ["need"]


class GridLogSerializer(serializers.ModelSerializer):
    grid = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    author = serializers.CharField(source="author.username", read_only=True)
    visits = VisitSerializer(many=True, required=False)
    issues = IssueSerializer(many=True, required=False)

    class Meta:
        model = GridLog
        fields = ["id", "grid", "author", "date", "visits_made", "summary", "visits", "issues", "created_at"]
        read_only_fields = ["created_at"]


class RaiseNeedSerializer(serializers.Serializer):
    issue = serializers.IntegerField()


class GridLogViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """民情日志: grid workers' daily logs. Visible to their author and staff of the region only."""

    serializer_class = GridLogSerializer
    permission_classes = [RulesPermission]
    permission_map = {
        "create": "gridlogs.add_grid_log",
        "list": "gridlogs.list_grid_logs",
        "retrieve": "gridlogs.view_grid_log",
        "raise_need": "gridlogs.raise_need",
    }

    def get_queryset(self):
        return (
            GridLog.objects.visible_to(self.request.user)
            .select_related("author")
            .prefetch_related("visits", "issues__category")
            .order_by("-date", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.write_grid_log(
            by=self.request.user, visits=data.pop("visits", []), issues=data.pop("issues", []), **data
        )

    @extend_schema(request=RaiseNeedSerializer, responses={201: IssueSerializer})
    @action(detail=True, methods=["post"], url_path="raise-need")
    def raise_need(self, request, pk=None):
        log = self.get_object()
        payload = RaiseNeedSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        issue = log.issues.filter(pk=payload.validated_data["issue"]).first()
        if issue is None:
            raise serializers.ValidationError({"issue": "Not an issue of this log."})
        services.raise_need_from_issue(by=request.user, issue=issue)
        issue.refresh_from_db()
        return Response(IssueSerializer(issue).data, status=status.HTTP_201_CREATED)


routes.register("grid-logs", GridLogViewSet, basename="grid-log")

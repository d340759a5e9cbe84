import json

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from portal.api import routes
from portal.api.permissions import RulesPermission

from . import services
from .actions import MILESTONE_ACTIONS
from .models import CRITERION_FIELDS, Evaluation, Milestone, ProgressReport
from .serializers import EvaluationSerializer, MilestoneSerializer, PaperEvaluationSerializer, ProgressReportSerializer


class ByDueDate(CursorPagination):
    ordering = ("due_on", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class MilestoneViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Milestones of projects in implementation, with their due dates and tranches; public for public
    projects. POST (plan one): a member of the implementing NGO or staff of the project's area. `report`:
    the implementing NGO; `approve`, `reject`, `pay`: staff of the project's area."""

    serializer_class = MilestoneSerializer
    permission_classes = [RulesPermission]
    pagination_class = ByDueDate
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["status", "project"]
    permission_map = {
        "create": "implementation.add_milestone",
        "retrieve": "implementation.view_milestone",
        **MILESTONE_ACTIONS.permission_map(),
    }

    def get_queryset(self):
        return (
            Milestone.objects.visible_to(self.request.user)
            .select_related("project__region", "tranche")
            .order_by("due_on", "id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.plan_milestone(by=self.request.user, **serializer.validated_data)

    locals().update(
        MILESTONE_ACTIONS.api_methods(
            response=MilestoneSerializer, result=lambda viewset, obj, returned: viewset.get_queryset().get(pk=obj.pk)
        )
    )


class ProgressReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Progress reports of projects in implementation: text, photos, spending against budget lines; public
    for public projects. POST: a member of the implementing (verified) NGO."""

    serializer_class = ProgressReportSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["project", "milestone", "is_final"]
    permission_map = {"create": "implementation.add_progressreport", "retrieve": "implementation.view_progressreport"}

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .select_related("project__region")
            .prefetch_related("photos", "spending__budget_line")
            .order_by("-created_at", "-id")
        )

    def get_serializer(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is not None and hasattr(data, "getlist") and "spending_json" in data:
            plain = {key: data.get(key) for key in data if key not in ("photos", "spending_json")}
            plain["photos"] = data.getlist("photos")
            try:
                plain["spending"] = json.loads(data.get("spending_json") or "[]")
            except ValueError as exc:
                raise serializers.ValidationError({"spending_json": ["Not valid JSON."]}) from exc
            kwargs["data"] = plain
        return super().get_serializer(*args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.submit_report(
            by=self.request.user,
            project=data["project"],
            milestone=data.get("milestone"),
            body=data["body"],
            is_final=data.get("is_final", False),
            spending=data.get("spending", []),
            photos=data.get("photos", []),
        )


class EvaluationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Residents' ratings (成效评议) of completed projects: a rater sees their own, staff their area's (the
    public sees each project's summary on its page). POST: a verified resident of the project's region
    while its rating window is open, once. `paper/`: staff enter a rating given on paper at an evaluation
    meeting."""

    serializer_class = EvaluationSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["project", "channel"]
    permission_map = {
        "create": "implementation.add_evaluation",
        "paper": "implementation.add_evaluation",
        "retrieve": "implementation.view_evaluation",
    }

    def get_queryset(self):
        return Evaluation.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.rate_project(
            by=self.request.user,
            project=data["project"],
            scores={name: data[name] for name in CRITERION_FIELDS},
            comment=data.get("comment", ""),
        )

    @extend_schema(request=PaperEvaluationSerializer, responses={201: PaperEvaluationSerializer})
    @action(detail=False, methods=["post"], url_path="paper", url_name="paper")
    def paper(self, request):
        """Staff of the project's area enter one paper rating from an evaluation meeting (成效评议会)."""
        payload = PaperEvaluationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not request.user.has_perm("implementation.manage_evaluation", data["project"]):
            raise PermissionDenied()
        evaluation = services.enter_paper_rating(
            by=request.user,
            project=data["project"],
            scores={name: data[name] for name in CRITERION_FIELDS},
            comment=data.get("comment", ""),
            paper_name=data["paper_name"],
            meeting=data.get("meeting"),
        )
        return Response(PaperEvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)


routes.register("milestones", MilestoneViewSet, basename="milestone")
routes.register("progress-reports", ProgressReportViewSet, basename="progress-report")
routes.register("evaluations", EvaluationViewSet, basename="evaluation")

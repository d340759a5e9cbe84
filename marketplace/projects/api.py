from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api import routes
from portal.api.pagination import LookaheadPagination
from portal.api.permissions import RulesPermission
from portal.core.errors import DomainError
from portal.core.kept_views import KeptForAnonymousMixin

from . import services
from .actions import PROJECT_ACTIONS
from .filters import ProjectFilter
from .models import Project, ProjectStatus
from .serializers import ProjectDetailSerializer, ProjectSerializer


class MoveSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProjectStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class AssignSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="The verified NGO's id.")
    authority = serializers.CharField(max_length=120)
    reason = serializers.CharField(max_length=1000)


class ProjectViewSet(
    KeptForAnonymousMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Community projects: the public list with the page's filters (`category`, `region`, `status`, `gap`,
    `book`, `mode`, `sort`); the detail with `target`, `raised` (from the ledger) and `status`; staff of
    the project's area create and edit projects and move their status (`POST …/{id}/move/`)."""

    permission_classes = [RulesPermission]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter
    pagination_class = LookaheadPagination
    permission_map = {
        "create": "projects.add_project",
        "update": "projects.change_project",
        "partial_update": "projects.change_project",
        "move": "projects.change_project_status",
        "assign": "projects.change_project",
    }

    def get_queryset(self):
        queryset = Project.objects.visible_to(self.request.user).select_related("category", "region")
        if self.action == "list":
            return queryset.exclude(status=ProjectStatus.DRAFT)
        return queryset.prefetch_related("budget_lines", "in_kind_items", "needs")

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    def _save(self, serializer, project=None):
        data = dict(serializer.validated_data)
        lines = data.pop("budget_lines", None)
        items = data.pop("in_kind_items", None)
        try:
            with transaction.atomic():
                if project is None:
                    return services.create_project(
                        by=self.request.user, budget_lines=lines, in_kind_items=items, **data
                    )
                return services.update_project(
                    by=self.request.user, project=project, budget_lines=lines, in_kind_items=items, **data
                )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise serializers.ValidationError(detail) from error

    def perform_create(self, serializer):
        serializer.instance = self._save(serializer)

    def perform_update(self, serializer):
        serializer.instance = self._save(serializer, serializer.instance)

    @extend_schema(request=MoveSerializer, responses=ProjectDetailSerializer)
    @extend_schema(request=AssignSerializer, responses=ProjectDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Staff of the project's area hand it to a verified NGO directly (党政部门交办), with the authority
        that assigns it and the reason; both show on the project's page."""
        from portal.organisations.models import Organisation

        project = self.get_object()
        payload = AssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        organisation = Organisation.objects.filter(pk=data["organisation"]).first()
        if organisation is None:
            raise serializers.ValidationError({"organisation": "No such organisation."})
        project = services.assign_project(
            by=request.user,
            project=project,
            organisation=organisation,
            authority=data["authority"],
            reason=data["reason"],
        )
        return Response(ProjectDetailSerializer(project, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        project = self.get_object()
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        to, note = payload.validated_data["status"], payload.validated_data.get("note", "")
        chosen = PROJECT_ACTIONS.for_target(to)  # the action of the project's table leading there
        if chosen is not None and not request.user.has_perm(chosen.perm, project):
            self.permission_denied(request)
        try:
            if chosen is None:  # no action leads there: the workflow refuses it (or it is where it is)
                project = services.move_project(by=request.user, project=project, to=to, note=note)
            else:
                project = chosen.run(request.user, project, {"note": note})
        except DomainError as error:
            return Response({"detail": str(error), "code": error.code}, status=error.status_code)
        return Response(ProjectDetailSerializer(project, context={"request": request}).data, status=status.HTTP_200_OK)


routes.register("projects", ProjectViewSet, basename="project")

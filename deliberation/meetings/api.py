from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.pagination import CursorPagination

from portal.api import routes
from portal.api.permissions import RulesPermission
from portal.core.kept_views import KeptForAnonymousMixin

from . import services
from .actions import FOLLOW_UP_ACTIONS, MEETING_ACTIONS, REGISTRATION_ACTIONS
from .models import AgendaDocument, AgendaItem, FollowUpAction, Meeting, Minutes, Registration
from .serializers import (
    AgendaItemSerializer,
    FollowUpSerializer,
    MeetingSerializer,
    MinutesSerializer,
    RegistrationSerializer,
)


class SoonestLast(CursorPagination):
    ordering = ("-starts_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class ById(CursorPagination):
    ordering = ("-id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class MeetingViewSet(KeptForAnonymousMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Council meetings (会议): public once announced (drafts for staff of the council's area). Each carries
    its iCalendar address and, after an oversubscribed registration, the public draw's inputs and seed.
    The moves (`announce`, `close_registration`, `hold`, `publish_minutes`, `cancel`) are for the council's
    chair and staff of its area."""

    serializer_class = MeetingSerializer
    permission_classes = [RulesPermission]
    pagination_class = SoonestLast
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["council", "kind", "status"]
    permission_map = {"retrieve": "meetings.view_meeting", **MEETING_ACTIONS.permission_map()}

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).select_related("council__region")

    locals().update(MEETING_ACTIONS.api_methods(response=MeetingSerializer))


class AgendaItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Agenda items of the meetings one may see, with their decisions once taken."""

    serializer_class = AgendaItemSerializer
    pagination_class = ById
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["meeting", "topic"]

    def get_queryset(self):
        meetings = Meeting.objects.visible_to(self.request.user)
        return (
            AgendaItem.objects.filter(meeting__in=meetings)
            .prefetch_related(Prefetch("documents", queryset=AgendaDocument.objects.only("pk", "item_id", "name")))
            .order_by("-id")
        )


class RegistrationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Registrations: one's own (staff of a council's area: every registration of its meetings). POST by an
    eligible resident while registration is open; `cancel` by the person or staff (a confirmed seat goes to
    the first on the waiting list)."""

    serializer_class = RegistrationSerializer
    permission_classes = [RulesPermission]
    pagination_class = ById
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["meeting", "status"]
    permission_map = {"retrieve": "meetings.view_registration", **REGISTRATION_ACTIONS.permission_map()}

    def get_queryset(self):
        return Registration.objects.visible_to(self.request.user).select_related("meeting__council__region", "user")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.register(by=self.request.user, meeting=data["meeting"], purpose=data["purpose"])

    locals().update(REGISTRATION_ACTIONS.api_methods(response=RegistrationSerializer))


class FollowUpViewSet(viewsets.GenericViewSet):
    """A meeting's follow-up actions, for its chair: `complete` (with an optional note) or `drop` (with a
    reason). They are read with the published minutes."""

    serializer_class = FollowUpSerializer
    permission_classes = [RulesPermission]
    permission_map = FOLLOW_UP_ACTIONS.permission_map()

    def get_queryset(self):
        meetings = Meeting.objects.visible_to(self.request.user)
        return FollowUpAction.objects.filter(meeting__in=meetings).select_related("meeting__council__region")

    locals().update(FOLLOW_UP_ACTIONS.api_methods(response=FollowUpSerializer))


class MinutesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Published minutes, with each agenda item's decision and the follow-up actions."""

    serializer_class = MinutesSerializer
    pagination_class = ById
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["meeting"]

    def get_queryset(self):
        return (
            Minutes.objects.filter(
                published_at__isnull=False, meeting__in=Meeting.objects.visible_to(self.request.user)
            )
            .prefetch_related(
                Prefetch("meeting__agenda_items", queryset=AgendaItem.objects.prefetch_related("documents")),
                Prefetch("meeting__follow_ups", queryset=FollowUpAction.objects.order_by("due_on", "id")),
            )
            .order_by("-id")
        )


routes.register("meetings", MeetingViewSet, basename="meeting")
routes.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
routes.register("registrations", RegistrationViewSet, basename="registration")
routes.register("minutes", MinutesViewSet, basename="minutes")
routes.register("follow-ups", FollowUpViewSet, basename="follow-up")

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.pagination import CursorPagination

from portal.api import routes
from portal.api.permissions import RulesPermission

from . import services
from .actions import ADOPTION_ACTIONS, BID_ACTIONS
from .models import Adoption, Bid
from .serializers import AdoptionSerializer, BidSerializer


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class AdoptionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Claims (申领) on published projects: fund, give in kind, volunteer. Listed as each person may see them
    (their own, their organisations', staff their area's); `approve` and `decline` are for staff of the
    project's region, `withdraw` for the claimant. Running a project is claimed by a bid (`/api/v1/bids/`)."""

    serializer_class = AdoptionSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["status", "mode", "project"]
    permission_map = {
        "create": "adoptions.add_adoption",
        "retrieve": "adoptions.view_adoption",
        **ADOPTION_ACTIONS.permission_map(),
    }

    def get_queryset(self):
        return Adoption.objects.visible_to(self.request.user).select_related("project").order_by("-created_at", "-id")

    def perform_create(self, serializer):
        serializer.instance = services.claim_project(by=self.request.user, **serializer.validated_data)

    locals().update(ADOPTION_ACTIONS.api_methods(response=AdoptionSerializer))


class BidViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """NGOs' bids (竞标) to run published projects. A bid is seen by its NGO's members and staff of the
    project's area; once selected, its summary is public. POST by a member of a verified NGO (JSON, or
    multipart with `attachments`); `select` for staff of the project's region."""

    serializer_class = BidSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["status", "project", "organisation"]
    permission_map = {"create": "adoptions.add_bid", "retrieve": "adoptions.view_bid", **BID_ACTIONS.permission_map()}

    def get_queryset(self):
        return (
            Bid.objects.visible_to(self.request.user)
            .select_related("project", "organisation")
            .prefetch_related("attachments")
            .order_by("-created_at", "-id")
        )

    def perform_create(self, serializer):
        serializer.instance = services.submit_bid(by=self.request.user, **serializer.validated_data)

    locals().update(BID_ACTIONS.api_methods(response=BidSerializer))


routes.register("adoptions", AdoptionViewSet, basename="adoption")
routes.register("bids", BidViewSet, basename="bid")

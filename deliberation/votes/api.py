from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from portal.api import routes
from portal.api.permissions import RulesPermission
from portal.core.transitions import NotPermitted

from . import services
from .actions import VOTE_ACTIONS
from .models import Option, Vote, receipt_hash
from .serializers import BallotInputSerializer, BallotReceiptSerializer, PublishedBallotSerializer, VoteSerializer


class ById(CursorPagination):
    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class VoteViewSet(ListModelMixin, RetrieveModelMixin, viewsets.GenericViewSet):
    """Votes (表决) on agenda items or, online, on topics: options, status, open or secret ballot; after the
    close the result and every ballot by receipt hash (a secret ballot without its voter). `open`, `close`
    and `cancel` are for the council's chair and staff of its area."""

    serializer_class = VoteSerializer
    permission_classes = [RulesPermission]
    pagination_class = ById
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["council", "agenda_item", "topic", "status"]
    permission_map = {"retrieve": "votes.view_vote", **VOTE_ACTIONS.permission_map()}

    def get_queryset(self):
        return (
            Vote.objects.visible_to(self.request.user)
            .select_related("council__region", "agenda_item", "result")
            .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order")))
        )

    locals().update(VOTE_ACTIONS.api_methods(response=VoteSerializer))


class BallotViewSet(viewsets.GenericViewSet):
    """Ballots. POST one's ballot on an open vote one is an elector of; the answer carries the receipt code,
    shown once. GET lists the ballots of closed votes by receipt hash (`?vote=`); a secret ballot is never
    listed beside its voter, not even to staff."""

    serializer_class = BallotInputSerializer
    pagination_class = None  # one vote's ballots, listed whole so that every voter can find theirs

    def get_queryset(self):
        return Vote.objects.visible_to(self.request.user)

    @extend_schema(request=BallotInputSerializer, responses={201: BallotReceiptSerializer})
    def create(self, request):
        payload = BallotInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        vote = payload.validated_data["vote"]
        if not request.user.has_perm("votes.cast_ballot", vote):
            raise NotPermitted(None)
        code = services.cast_ballot(
            by=request.user,
            vote=vote,
            choices=payload.validated_data["choices"],
            receipt=payload.validated_data["receipt"],
        )
        body = {"vote": vote.pk, "receipt": code, "receipt_hash": receipt_hash(vote.pk, code) if code else None}
        return Response(BallotReceiptSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses=PublishedBallotSerializer(many=True),
        parameters=[OpenApiParameter("vote", int, required=True, description="The vote's id.")],
    )
    def list(self, request):
        from rest_framework.exceptions import ValidationError

        vote_id = request.query_params.get("vote", "")
        if not vote_id.isdigit() or len(vote_id) > 18:
            raise ValidationError({"vote": "Give the vote's id: ?vote=<id>."})
        vote = self.get_queryset().filter(pk=int(vote_id)).first()
        if vote is None:
            return Response([])
        return Response(PublishedBallotSerializer(services.published_ballots(vote), many=True).data)


routes.register("votes", VoteViewSet, basename="vote")
routes.register("ballots", BallotViewSet, basename="ballot")

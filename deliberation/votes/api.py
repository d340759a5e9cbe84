from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.mixins import ListModelMixin, RetrieveModelMixin
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from portal.api import routes
from portal.api.permissions import RulesPermission
from portal.core.transitions import NotPermitted

from . import limits, services
from .actions import VOTE_ACTIONS
from .models import Elector, Option, Vote, receipt_hash
from .serializers import (
    BallotInputSerializer,
    BallotReceiptSerializer,
    CodeBallotInputSerializer,
    ElectorInputSerializer,
    PaperBatchResultSerializer,
    PaperBatchSerializer,
    PaperDeskSerializer,
    PaperVoterSerializer,
    PublishedBallotSerializer,
    VoteSerializer,
    VotingCodeSerializer,
)


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
    permission_map = {
        "retrieve": "votes.view_vote",
        **VOTE_ACTIONS.permission_map(),
        "paper_voters": "votes.record_paper_ballot",
        "close_paper_desk": "votes.record_paper_ballot",
        "paper_ballots": "votes.record_paper_ballot",
        "voting_codes": "votes.issue_voting_code",
    }

    def get_queryset(self):
        return (
            Vote.objects.visible_to(self.request.user)
            .select_related("council__region", "agenda_item", "result")
            .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("order")))
        )

    locals().update(VOTE_ACTIONS.api_methods(response=VoteSerializer))

    # --- the desk in the room (the chair and staff of the council's area) ---

    def _elector(self, vote, data):
        payload = ElectorInputSerializer(data=data)
        payload.is_valid(raise_exception=True)
        return Elector.objects.filter(vote=vote, pk=payload.validated_data["elector"]).first()

    @extend_schema(request=ElectorInputSerializer, responses={201: PaperVoterSerializer})
    @action(detail=True, methods=["post"], url_path="paper-voters", url_name="paper-voters")
    def paper_voters(self, request, pk=None):
        """Mark an elector as having taken a paper ballot (on a secret vote, while the paper desk is open)."""
        vote = self.get_object()
        elector = services.record_paper_voter(by=request.user, vote=vote, elector=self._elector(vote, request.data))
        body = {"elector": elector.pk, "paper_ballots_left": services.paper_ballots_left(vote)}
        return Response(PaperVoterSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PaperDeskSerializer)
    @action(detail=True, methods=["post"], url_path="paper-desk/close", url_name="close-paper-desk")
    def close_paper_desk(self, request, pk=None):
        """Secret vote: close the paper desk (no more paper voters); the box is then entered as a batch."""
        vote = self.get_object()
        marked = services.close_paper_desk(by=request.user, vote=vote)
        return Response(
            PaperDeskSerializer({"paper_voters": marked, "paper_ballots_left": services.paper_ballots_left(vote)}).data
        )

    @extend_schema(request=PaperBatchSerializer, responses={201: PaperBatchResultSerializer})
    @action(detail=True, methods=["post"], url_path="paper-ballots", url_name="paper-ballots")
    def paper_ballots(self, request, pk=None):
        """Secret vote, paper desk closed: enter the box's ballots as one batch (how many chose each set of
        options), never more than the paper voters marked."""
        vote = self.get_object()
        payload = PaperBatchSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        batch = [(line["choices"], line["count"]) for line in payload.validated_data["ballots"]]
        entered = services.enter_paper_ballots(by=request.user, vote=vote, batch=batch)
        body = {"entered": entered, "paper_ballots_left": services.paper_ballots_left(vote)}
        return Response(PaperBatchResultSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ElectorInputSerializer, responses={201: VotingCodeSerializer})
    @action(detail=True, methods=["post"], url_path="voting-codes", url_name="voting-codes")
    def voting_codes(self, request, pk=None):
        """Give an elector a one-time voting code (shown once in this answer)."""
        vote = self.get_object()
        elector = self._elector(vote, request.data)
        code = services.issue_voting_code(by=request.user, vote=vote, elector=elector)
        return Response(
            VotingCodeSerializer({"elector": elector.pk, "code": code}).data, status=status.HTTP_201_CREATED
        )


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

    @extend_schema(request=CodeBallotInputSerializer, responses={201: BallotReceiptSerializer})
    @action(detail=False, methods=["post"], url_path="code", url_name="code", permission_classes=[AllowAny])
    def cast_with_code(self, request):
        """Vote with a one-time voting code, without an account. Wrong codes are limited per client address
        and vote (10 in 10 minutes, then 429)."""
        payload = CodeBallotInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        vote = payload.validated_data["vote"]
        if not request.user.has_perm("votes.view_vote", vote):
            return Response({"vote": ["Invalid pk."]}, status=status.HTTP_400_BAD_REQUEST)
        code = limits.cast_with_code(
            request._request,
            vote=vote,
            code=payload.validated_data["voting_code"],
            choices=payload.validated_data["choices"],
        )
        body = {"vote": vote.pk, "receipt": code, "receipt_hash": receipt_hash(vote.pk, code)}
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

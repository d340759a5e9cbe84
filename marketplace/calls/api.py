from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.pagination import CursorPagination

from portal.api import routes
from portal.api.pagination import StandardPagination
from portal.api.permissions import RulesPermission

from . import review
from .actions import AWARD_ACTIONS, CALL_ACTIONS, DECLARATION_ACTIONS, OBJECTION_ACTIONS, REVIEW_ACTIONS
from .models import Award, Declaration, FundingCall, Objection
from .serializers import (
    AwardSerializer,
    DeclarationSerializer,
    FundingCallSerializer,
    ObjectionSerializer,
    ReviewSerializer,
)


class NewestFirst(CursorPagination):
    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class FundingCallViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Funding calls (项目扶持资金 / 公益创投): public once published, with their rules, rubric and matching
    table; drafts for staff of the call's area. `publish`, `close` and `cancel` are for those staff."""

    serializer_class = FundingCallSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["status", "kind", "year"]
    lookup_field = "pk"
    permission_map = {"retrieve": "calls.view_call", **CALL_ACTIONS.permission_map()}

    def get_queryset(self):
        return (
            FundingCall.objects.visible_to(self.request.user)
            .select_related("region", "fund")
            .prefetch_related("categories", "criteria", "matching_rules")
        )

    locals().update(CALL_ACTIONS.api_methods(response=FundingCallSerializer))


class DeclarationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Declarations (申报) of NGOs' own projects to funding calls. NGO members create drafts for their
    organisation, change them with PATCH (nothing is checked but sizes: a draft keeps what was typed),
    and `submit/` them while the call takes declarations; `withdraw/` before the deadline. Members see
    their organisation's declarations only; staff of the call's area see the submitted ones."""

    serializer_class = DeclarationSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["status", "call", "organisation"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_map = {
        "create": "calls.add_declaration",
        "retrieve": "calls.view_declaration",
        "partial_update": "calls.change_declaration",
        "update": "calls.change_declaration",
        **DECLARATION_ACTIONS.permission_map(),
    }

    def get_queryset(self):
        return (
            Declaration.objects.visible_to(self.request.user)
            .select_related("call", "organisation")
            .prefetch_related("budget_lines", "attachments", "call")
        )

    locals().update(DECLARATION_ACTIONS.api_methods(response=DeclarationSerializer))


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reviews (联合评审): a reviewer lists only their own; staff of the call's area every review of its calls.
    `submit/` takes a score (0-10) and a comment for every criterion; `conflict/` excludes the reviewer (a
    reserve takes the review). Other reviewers' totals show only once one's own scores are submitted."""

    serializer_class = ReviewSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["status", "declaration"]
    permission_map = {"retrieve": "calls.view_review", **REVIEW_ACTIONS.permission_map()}

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":  # a reviewer lists only their own (staff too: the board shows the rest)
            mine = (
                review.review_queryset().filter(reviewer=user)
                if user.is_authenticated
                else review.review_queryset().none()
            )
            return mine.prefetch_related("scores__criterion")
        return review.review_queryset().visible_to(user).prefetch_related("scores__criterion")

    locals().update(REVIEW_ACTIONS.api_methods(response=ReviewSerializer))


class AwardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Awards of a call (`?call=<id>`), in rank order: public once the results are in notice; staff of the
    call's area see the computed ones during the review and may `override/` an amount with a reason."""

    serializer_class = AwardSerializer
    permission_classes = [RulesPermission]
    pagination_class = StandardPagination  # pages of 50 in rank order: a call may rank thousands
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["call"]
    permission_map = AWARD_ACTIONS.permission_map()

    def get_queryset(self):
        return (
            Award.objects.visible_to(self.request.user)
            .select_related("call__region", "declaration__organisation")
            .order_by("call", "rank")
        )

    locals().update(AWARD_ACTIONS.api_methods(response=AwardSerializer))


class ObjectionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Objections to a call's results (`?call=<id>`), public with their answers (who objected is not shown).
    POST by anyone signed in during the call's public notice; `answer/` by staff of the call's area (dismiss, or
    uphold, which takes the call back to review)."""

    serializer_class = ObjectionSerializer
    permission_classes = [RulesPermission]
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["call", "status"]
    permission_map = {"create": "calls.add_objection", **OBJECTION_ACTIONS.permission_map()}

    def get_queryset(self):
        public = FundingCall.objects.visible_to(self.request.user)
        return Objection.objects.filter(call__in=public).select_related("call__region")

    locals().update(OBJECTION_ACTIONS.api_methods(response=ObjectionSerializer))


routes.register("calls", FundingCallViewSet, basename="call")
routes.register("declarations", DeclarationViewSet, basename="declaration")
routes.register("reviews", ReviewViewSet, basename="review")
routes.register("awards", AwardViewSet, basename="award")
routes.register("objections", ObjectionViewSet, basename="objection")

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from portal.api import routes
from portal.api.permissions import RulesPermission
from portal.core.ids import IdFilter

from . import intents
from .actions import ACTIONS, CHOICE_ACTIONS
from .models import DeadlineChoice, LedgerEntry, Payment
from .serializers import DeadlineChoiceSerializer, LedgerEntrySerializer, PaymentSerializer


class PaymentPagination(CursorPagination):
    ordering = ("-created_at", "-id")
    page_size = 50


class PaymentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Gifts to projects. Donors see their own, staff those to projects in their area.

    POST with `provider` (`offline` or `stripe`), `project` and `amount` (yuan). A Stripe gift's answer
    carries `client_secret` for Stripe.js; an offline pledge waits for staff to `confirm/` it with the
    transfer's `reference` and the date it was `received_on`. A confirmed gift shows its `receipt_number`.
    """

    serializer_class = PaymentSerializer
    permission_classes = [RulesPermission]
    pagination_class = PaymentPagination
    permission_map = {"create": "funding.add_payment", "retrieve": "funding.view_payment", **ACTIONS.permission_map()}

    def get_queryset(self):
        return (
            Payment.objects.visible_to(self.request.user)
            .select_related("project", "receipt")
            .order_by("-created_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = intents.pledge(
            by=request.user,
            project=data["project"],
            amount=data["amount"],
            provider=data["provider"],
            organisation=data.get("organisation"),
            public_name=data.get("public_name", False),
        )
        return Response(self.get_serializer(payment).data, status=status.HTTP_201_CREATED)

    def _after_action(self, payment, returned):
        return self.get_queryset().get(pk=payment.pk)

    locals().update(ACTIONS.api_methods(response=PaymentSerializer, result=_after_action))


class DeadlineChoiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Choices donors are asked to make when a project they gave to missed its funding deadline or was
    withdrawn. Donors see their own, staff those of projects in their area. `choose/` is the donor's:
    `{"option": "refund"}` or `{"option": "move", "project": <id>}`. Unanswered by `choose_by`, a gift is
    refunded."""

    serializer_class = DeadlineChoiceSerializer
    permission_classes = [RulesPermission]
    pagination_class = PaymentPagination
    permission_map = {"retrieve": "funding.view_deadline_choice", **CHOICE_ACTIONS.permission_map()}

    def get_queryset(self):
        return DeadlineChoice.objects.visible_to(self.request.user).order_by("-created_at", "-id")

    def _after_action(self, choice, returned):
        return self.get_queryset().get(pk=choice.pk)

    locals().update(CHOICE_ACTIONS.api_methods(response=DeadlineChoiceSerializer, result=_after_action))


class LedgerFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label="project id")
    fund = IdFilter(field_name="fund_id", label="fund id")

    class Meta:
        model = LedgerEntry
        fields = ["project", "fund", "kind"]


class LedgerPagination(CursorPagination):
    ordering = ("sequence",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 500


class LedgerViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The public ledger: every gift, refund and disbursement of projects past the draft, and the money put
    into and granted out of public funds (a funding call's pool), in order, each entry chained to the one
    before by its SHA-256 `hash`. No donor is named."""

    serializer_class = LedgerEntrySerializer
    filterset_class = LedgerFilter
    filter_backends = [DjangoFilterBackend]
    pagination_class = LedgerPagination

    def get_queryset(self):
        return LedgerEntry.objects.public().select_related("fund").order_by("sequence")


routes.register("payments", PaymentViewSet, basename="payment")
routes.register("ledger", LedgerViewSet, basename="ledger-entry")
routes.register("deadline-choices", DeadlineChoiceViewSet, basename="deadline-choice")

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.pagination import CursorPagination

from portal.api import routes
from portal.api.permissions import RulesPermission

from .actions import CALL_ACTIONS, DECLARATION_ACTIONS
from .models import Declaration, FundingCall
from .serializers import DeclarationSerializer, FundingCallSerializer


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
            .select_related("region")
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


routes.register("calls", FundingCallViewSet, basename="call")
routes.register("declarations", DeclarationViewSet, basename="declaration")

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from portal.api import routes
from portal.api.errors import raise_api_error
from portal.api.permissions import RulesPermission
from portal.core.errors import DomainError
from portal.core.models import Category
from portal.core.uploads import validate_document
from portal.regions.models import Region

from . import services
from .actions import VERIFICATION_ACTIONS
from .models import (
    DocumentKind,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    VerificationDocument,
)
from .sections import api_values
from .uscc import normalise, validate_uscc


class OrganisationSerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    service_regions = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all(), many=True, required=False)
    categories = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), many=True, required=False
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    extras = serializers.SerializerMethodField(
        help_text="What features add to the record, by name: `track_record` (completed projects, projects under "
        "way, average rating by residents, share of milestones reported on time, money handled)."
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "slug",
            "url",
            "extras",
            "kind",
            "name",
            "name_en",
            "uscc",
            "region",
            "service_regions",
            "categories",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
            "logo",
            "description",
            "verification_status",
            "verified_at",
            "created_at",
        ]
        read_only_fields = ["slug", "logo", "verification_status", "verified_at", "created_at"]
        extra_kwargs = {"uscc": {"validators": []}}

    def get_extras(self, organisation) -> dict:
        # Computed once for the whole page of a list (the parent's instances), once for a single record.
        values = self.context.get("_organisation_extras")
        if values is None or organisation.pk not in values["ids"]:
            parent = getattr(self, "parent", None)
            many = list(parent.instance) if parent is not None and parent.instance is not None else [organisation]
            if organisation not in many:
                many = [organisation]
            values = {"ids": {o.pk for o in many}, "values": api_values(many)}
            self.context["_organisation_extras"] = values
        return {name: by_id.get(organisation.pk) for name, by_id in values["values"].items()}

    def validate_uscc(self, value):
        code = normalise(value)
        try:
            validate_uscc(code)
        except Exception as exc:  # django ValidationError → DRF's
            raise serializers.ValidationError(list(getattr(exc, "messages", [str(exc)]))) from exc
        return code


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.public_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "username", "display_name", "role", "created_at"]


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "created_at", "expires_at", "accepted_at"]
        read_only_fields = ["created_at", "expires_at", "accepted_at"]


class DocumentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(write_only=True, validators=[validate_document])

    class Meta:
        model = VerificationDocument
        fields = ["id", "kind", "file", "uploaded_at"]
        read_only_fields = ["uploaded_at"]


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AcceptInvitationSerializer(serializers.Serializer):
    token = serializers.CharField()


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    category = django_filters.CharFilter(field_name="categories__slug")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Organisation
        fields = ["kind", "verification_status"]


class OrganisationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations: NGOs, companies, foundations, government departments.

    Anyone lists verified organisations; members also see their own and staff
    the ones awaiting verification in their region.
    """

    serializer_class = OrganisationSerializer
    permission_classes = [RulesPermission]
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "created_at"]
    lookup_field = "pk"
    permission_map = {
        "create": "organisations.add_organisation",
        "retrieve": "organisations.view_organisation",
        "update": "organisations.change_organisation",
        "partial_update": "organisations.change_organisation",
        "members": "organisations.manage_members",
        "invitations": "organisations.manage_members",
        "documents": "organisations.view_documents",
        **{name: action.perm for name, action in VERIFICATION_ACTIONS.items()},
    }

    def get_queryset(self):
        return (
            Organisation.objects.visible_to(self.request.user)
            .select_related("region")
            .prefetch_related("categories", "service_regions")
            .order_by("name")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.register_organisation(
                by=self.request.user,
                service_regions=data.pop("service_regions", []),
                categories=data.pop("categories", []),
                **data,
            )
        except DomainError as exc:
            raise_api_error(exc)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.update_organisation(
                by=self.request.user,
                organisation=serializer.instance,
                service_regions=data.pop("service_regions", None),
                categories=data.pop("categories", None),
                **data,
            )
        except DomainError as exc:
            raise_api_error(exc)

    @extend_schema(responses=MembershipSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # whole lists, as their schemas say
    def members(self, request, pk=None):
        organisation = self.get_object()
        memberships = organisation.memberships.select_related("user").order_by("created_at")
        return Response(MembershipSerializer(memberships, many=True).data)

    @extend_schema(methods=["GET"], responses=InvitationSerializer(many=True))
    @extend_schema(methods=["POST"], request=InvitationSerializer, responses={201: InvitationSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def invitations(self, request, pk=None):
        organisation = self.get_object()
        if request.method == "GET":
            invitations = organisation.invitations.filter(accepted_at__isnull=True)
            return Response(InvitationSerializer(invitations, many=True).data)
        serializer = InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            invitation = services.invite_member(
                by=request.user,
                organisation=organisation,
                email=serializer.validated_data["email"],
                role=serializer.validated_data.get("role", MemberRole.MEMBER),
            )
        except DomainError as exc:
            raise_api_error(exc)
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(methods=["POST"], request=DocumentSerializer, responses={201: DocumentSerializer})
    # A whole list (an organisation has a handful of documents), not a page: the schema says so too.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def documents(self, request, pk=None):
        organisation = self.get_object()
        if request.method == "GET":
            return Response(DocumentSerializer(organisation.documents.all(), many=True).data)
        if not request.user.has_perm("organisations.upload_document", organisation):
            self.permission_denied(request)
        serializer = DocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.upload_verification_document(
            by=request.user, organisation=organisation, **serializer.validated_data
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._decide(request, "verify")

    @extend_schema(request=DecisionSerializer, responses=OrganisationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._decide(request, "reject")

    def _decide(self, request, name):
        """Run the verification action `name` of the organisation's table (`permission_map` checks its perm)."""
        organisation = self.get_object()
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            organisation = VERIFICATION_ACTIONS[name].run(request.user, organisation, serializer.validated_data)
        except DomainError as exc:
            raise_api_error(exc)
        return Response(OrganisationSerializer(organisation, context=self.get_serializer_context()).data)

    @extend_schema(request=AcceptInvitationSerializer, responses=MembershipSerializer)
    @action(detail=False, methods=["post"], url_path="invitations/accept", permission_classes=[IsAuthenticated])
    def accept_invitation(self, request):
        serializer = AcceptInvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            membership = services.accept_invitation(by=request.user, token=serializer.validated_data["token"])
        except DomainError as exc:
            raise_api_error(exc)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_200_OK)


routes.register("organisations", OrganisationViewSet, basename="organisation")

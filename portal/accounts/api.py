from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.phones import normalise_phone
from portal.regions.models import Region, RegionLevel

from . import services
from .models import User
from .roles import role_facts


class RoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    region = serializers.IntegerField(allow_null=True)
    region_name = serializers.CharField(allow_null=True)


class OrganisationMembershipSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation_id")
    slug = serializers.CharField(source="organisation.slug")
    name = serializers.CharField(source="organisation.name")
    role = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    home_community = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.filter(level=RegionLevel.COMMUNITY), allow_null=True, required=False
    )
    roles = serializers.SerializerMethodField()
    organisations = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "display_name",
            "phone",
            "home_community",
            "language",
            "roles",
            "organisations",
        ]
        read_only_fields = ["id", "username", "email"]

    @extend_schema_field(RoleSerializer(many=True))
    def get_roles(self, obj) -> list[dict]:
        facts = role_facts(obj)
        return [
            {"role": str(role), "region": r.pk if r else None, "region_name": r.name if r else None}
            for role, regions in sorted(facts.regions.items())
            for r in regions
        ] + [
            {"role": str(role), "region": None, "region_name": None}
            for role in sorted(facts.roles - set(facts.regions))
        ]

    @extend_schema_field(OrganisationMembershipSerializer(many=True))
    def get_organisations(self, obj):
        return OrganisationMembershipSerializer(obj.memberships.select_related("organisation"), many=True).data

    def validate_phone(self, value):
        try:
            return normalise_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc


class MeView(APIView):
    """The logged-in user's own profile and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        user = request.user
        serializer = MeSerializer(user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.update_profile(
            by=user,
            user=user,
            display_name=data.get("display_name", user.display_name),
            phone=data.get("phone", user.phone),
            home_community=data.get("home_community", user.home_community),
            language=data.get("language", user.language),
        )
        return Response(MeSerializer(user).data)

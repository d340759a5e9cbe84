from rest_framework import serializers

from portal.phases.models import Phase

from .models import Council, CouncilMember


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouncilMember
        fields = ["name", "role", "organisation", "term_start", "term_end"]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["kind", "title", "starts_at", "ends_at"]


class CouncilSerializer(serializers.ModelSerializer):
    members = MemberSerializer(source="serving_members", many=True, read_only=True, help_text="Serving members.")
    open_phases = PhaseSerializer(many=True, read_only=True, help_text="The phases open now (e.g. collect_topics).")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Council
        fields = [
            "id",
            "url",
            "slug",
            "name",
            "name_en",
            "level",
            "region",
            "description",
            "support_threshold",
            "members",
            "open_phases",
        ]

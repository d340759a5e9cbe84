"""What the claims and bids API reads and writes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.projects.models import InKindItem, Project, ProjectStatus
from portal.core.money import MoneySerializerField
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.organisations.models import Organisation

from .models import Adoption, AdoptionMode, Bid, BidOpinion


class AdoptionSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.exclude(status=ProjectStatus.DRAFT))
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    mode = serializers.ChoiceField(
        choices=AdoptionMode.choices, help_text="fund, in_kind or volunteer; running a project is claimed by a bid."
    )
    amount = MoneySerializerField(required=False, default=0)
    estimated_value = MoneySerializerField(required=False, default=0)
    in_kind_item = serializers.PrimaryKeyRelatedField(
        queryset=InKindItem.objects.all(), required=False, allow_null=True, default=None
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Adoption
        fields = [
            "id",
            "url",
            "project",
            "organisation",
            "mode",
            "status",
            "amount",
            "covers_gap",
            "in_kind_item",
            "item_description",
            "quantity",
            "estimated_value",
            "hours",
            "skills",
            "message",
            "decision_reason",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["status", "decision_reason", "created_at", "decided_at"]
        extra_kwargs = {
            "covers_gap": {"required": False, "default": False},
            "item_description": {"required": False, "default": ""},
            "quantity": {"required": False, "default": 0},
            "hours": {"required": False, "default": 0},
            "skills": {"required": False, "default": ""},
            "message": {"required": False, "default": ""},
        }


class BidOpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BidOpinion
        fields = ["representative_name", "representative_role", "opinion", "recorded_at"]


class BidPrivateSerializer(serializers.Serializer):
    """What only the bidding NGO and staff of the project's area read."""

    team = serializers.CharField()
    track_record = serializers.CharField()
    attachments = serializers.ListField(child=serializers.CharField(), help_text="The attached documents' names.")


class BidSerializer(serializers.ModelSerializer):
    """A bid. `private` (team, track record, attachments) is null but for the NGO and staff of the project's
    area: for everyone else, a selected bid is its summary."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.exclude(status=ProjectStatus.DRAFT))
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    price = MoneySerializerField()
    plan = serializers.CharField(max_length=LONG_TEXT)
    timeline = serializers.CharField(max_length=NOTE_TEXT)
    team = serializers.CharField(max_length=NOTE_TEXT, write_only=True)
    track_record = serializers.CharField(
        max_length=NOTE_TEXT, required=False, allow_blank=True, default="", write_only=True
    )
    attachments = serializers.ListField(
        child=serializers.FileField(), write_only=True, required=False, default=list, max_length=5
    )
    private = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Bid
        fields = [
            "id",
            "url",
            "project",
            "organisation",
            "status",
            "plan",
            "price",
            "timeline",
            "team",
            "track_record",
            "attachments",
            "private",
            "decision_reason",
            "created_at",
            "decided_at",
        ]
        read_only_fields = ["status", "decision_reason", "created_at", "decided_at"]

    @extend_schema_field(BidPrivateSerializer(allow_null=True))
    def get_private(self, bid):
        request = self.context.get("request")
        if request is None or not request.user.has_perm("adoptions.view_bid_private", bid):
            return None
        return {
            "team": bid.team,
            "track_record": bid.track_record,
            "attachments": [a.name for a in bid.attachments.all()],
        }

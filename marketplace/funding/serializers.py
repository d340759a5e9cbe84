from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.projects.models import Project, ProjectStatus
from portal.core.money import MoneySerializerField
from portal.organisations.models import Organisation

from .models import DeadlineChoice, LedgerEntry, Payment, Provider


class PaymentSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.verified(), required=False, allow_null=True
    )
    provider = serializers.ChoiceField(choices=Provider.choices)
    amount = MoneySerializerField(min_fen=1)
    accepted_amount = MoneySerializerField(read_only=True)
    refunded_amount = MoneySerializerField(read_only=True)
    receipt_number = serializers.SerializerMethodField()
    receipt_void = serializers.SerializerMethodField()
    returned_amount = MoneySerializerField(read_only=True)
    client_secret = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "project",
            "organisation",
            "provider",
            "amount",
            "status",
            "accepted_amount",
            "refunded_amount",
            "reference",
            "received_on",
            "public_name",
            "receipt_number",
            "receipt_void",
            "returned_amount",
            "client_secret",
            "created_at",
            "confirmed_at",
        ]
        read_only_fields = ["status", "reference", "received_on", "created_at", "confirmed_at"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_receipt_number(self, obj) -> str | None:
        return obj.receipt_number

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_receipt_void(self, obj) -> bool:
        receipt = getattr(obj, "receipt", None)
        return bool(receipt and receipt.is_void)

    @extend_schema_field({"type": "string", "nullable": True, "description": "Stripe's secret for Stripe.js."})
    def get_client_secret(self, obj):
        return getattr(obj, "client_secret", None)


class ConfirmSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100)
    received_on = serializers.DateField()

    def validate_received_on(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError(
                _("The date received cannot be in the future."), code="received_on_future"
            )
        return value


class RefundSerializer(serializers.Serializer):
    amount = MoneySerializerField(min_fen=1)
    note = serializers.CharField(max_length=200)


class ReturnSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100)


class DeadlineChoiceSerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(read_only=True)

    class Meta:
        model = DeadlineChoice
        fields = ["id", "payment", "project", "amount", "status", "choose_by", "moved_to", "by_default", "decided_at"]
        read_only_fields = fields


class ChooseSerializer(serializers.Serializer):
    option = serializers.ChoiceField(choices=[("refund", "refund"), ("move", "move")])
    # Drafts are nobody's to move a gift to, and an error must not name one: "not found" for them.
    project = serializers.PrimaryKeyRelatedField(
        queryset=Project.objects.exclude(status=ProjectStatus.DRAFT),
        required=False,
        allow_null=True,
        help_text="The project to move the gift to.",
    )

    def validate(self, data):
        if data["option"] == "move" and not data.get("project"):
            raise serializers.ValidationError({"project": _("Choose the project to move your gift to.")})
        return data


class LedgerEntrySerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = LedgerEntry
        # `commitment` stands for the entry's private fields (payment, refund, note) in its hash: published
        # so that anyone can recompute the chain (scripts/verify_public_ledger.py), it reveals none of them.
        # `fund` (the pool of public money an entry puts money into or grants out of) is in the hash of the
        # entries that name one.
        fields = [
            "sequence",
            "project",
            "fund",
            "fund_name",
            "kind",
            "amount",
            "created_at",
            "commitment",
            "previous_hash",
            "hash",
        ]

"""What the projects API reads and writes. Money in yuan as exact decimal strings (the shared money field)."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from portal.core.models import Category
from portal.core.money import MoneySerializerField
from portal.organisations.models import Organisation
from portal.regions.models import Region

from .models import BudgetLine, InKindItem, Project


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(min_fen=0)

    class Meta:
        model = BudgetLine
        fields = ["label", "amount"]


class InKindItemSerializer(serializers.ModelSerializer):
    estimated_value = MoneySerializerField(min_fen=0, required=False)

    class Meta:
        model = InKindItem
        fields = ["name", "quantity", "unit", "estimated_value"]


class ProjectSerializer(serializers.ModelSerializer):
    """A project in a list: `target` is what donors are asked for, `raised` what the ledger holds."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    budget = MoneySerializerField(min_fen=0, required=False)
    # Written as the target donors are asked for (0: the whole budget); read as the target in force.
    target = MoneySerializerField(min_fen=0, required=False)
    raised = MoneySerializerField(source="amount_raised", read_only=True)
    modes = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id", "url", "title", "summary", "category", "region", "status",
            "budget", "target", "raised", "funding_deadline", "modes", "published_at",
        ]  # fmt: skip
        read_only_fields = ["status", "published_at"]

    def to_representation(self, project):
        data = super().to_representation(project)
        data["target"] = self.fields["target"].to_representation(project.funding_target)
        return data

    def get_modes(self, project) -> list[str]:
        from .filters import MODE_FIELDS

        return [mode for mode, field in MODE_FIELDS.items() if getattr(project, field)]


class ProjectDetailSerializer(ProjectSerializer):
    implementer = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    budget_lines = BudgetLineSerializer(many=True, required=False)
    in_kind_items = InKindItemSerializer(many=True, required=False)
    needs = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "description", "beneficiaries", "beneficiary_count", "implementer", "starts_on", "ends_on",
            "wants_funds", "wants_implementer", "wants_in_kind", "wants_volunteers",
            "budget_lines", "in_kind_items", "needs", "funded_at", "completed_at",
            "assigned_by", "assignment_reason", "assigned_at",
        ]  # fmt: skip
        read_only_fields = [
            *ProjectSerializer.Meta.read_only_fields, "funded_at", "completed_at",
            "assigned_by", "assignment_reason", "assigned_at",
        ]  # fmt: skip

    def validate(self, data):
        budget = data.get("budget", getattr(self.instance, "budget", 0))
        target = data.get("target", getattr(self.instance, "target", 0))
        if target and budget is not None and target > budget:
            raise serializers.ValidationError({"target": _("The funding target cannot exceed the budget.")})
        return data

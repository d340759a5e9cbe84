from django.db import transaction
from rest_framework import serializers

from portal.core.errors import DomainError
from portal.core.money import MoneySerializerField

from . import services
from .models import Declaration, DeclarationBudgetLine, FundingCall, MatchingRule, RubricCriterion


class RubricCriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricCriterion
        fields = ["name", "name_en", "description", "weight"]


class MatchingRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchingRule
        fields = ["budget_from", "budget_below", "beneficiaries_from", "beneficiaries_below", "share_percent", "cap"]


class FundingCallSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    criteria = RubricCriterionSerializer(many=True, read_only=True)
    matching_rules = MatchingRuleSerializer(many=True, read_only=True)
    required_documents = serializers.ListField(source="documents", child=serializers.CharField(), read_only=True)
    accepting = serializers.SerializerMethodField()
    url = serializers.URLField(source="get_absolute_url", read_only=True)

    class Meta:
        model = FundingCall
        fields = [
            "id",
            "slug",
            "title",
            "title_en",
            "kind",
            "year",
            "summary",
            "region",
            "categories",
            "pool",
            "opens_at",
            "closes_at",
            "accepting",
            "verified_only",
            "max_active_projects",
            "min_years_registered",
            "required_documents",
            "aggregation",
            "notice_days",
            "criteria",
            "matching_rules",
            "status",
            "url",
        ]
        read_only_fields = fields

    def get_accepting(self, call) -> bool:
        return call.accepting()


class BudgetLineSerializer(serializers.ModelSerializer):
    amount = MoneySerializerField(min_fen=1)
    requested = MoneySerializerField(min_fen=0, required=False)
    self_raised = MoneySerializerField(min_fen=0, required=False)
    other_sources = MoneySerializerField(min_fen=0, required=False)

    class Meta:
        model = DeclarationBudgetLine
        fields = ["item", "amount", "requested", "self_raised", "other_sources"]


class DeclarationSerializer(serializers.ModelSerializer):
    """A declaration: created as a draft (`call` by slug, `organisation` by id), changed with PATCH while a
    draft (budget lines replaced when given), then `submit/`; `missing` says what submitting still needs."""

    call = serializers.SlugRelatedField(slug_field="slug", queryset=FundingCall.objects.all())
    budget_lines = BudgetLineSerializer(many=True, required=False)
    attachments = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Declaration
        fields = [
            "id",
            "call",
            "organisation",
            "title",
            "problem",
            "target_group",
            "beneficiaries",
            "activities",
            "timeline",
            "team",
            "budget_lines",
            "attachments",
            "missing",
            "status",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = ["status", "created_at", "updated_at", "submitted_at"]

    def get_attachments(self, declaration) -> list[str]:
        return [a.document for a in declaration.attachments.all()]

    def get_missing(self, declaration) -> dict[str, str]:
        if declaration.status != "draft":
            return {}
        return {name: str(message) for name, message in services.missing_for_submit(declaration).items()}

    def validate(self, data):
        if self.instance is not None:
            data.pop("call", None)  # a draft stays with its call and organisation
            data.pop("organisation", None)
        return data

    @transaction.atomic
    def create(self, validated):
        by = self.context["request"].user
        lines = validated.pop("budget_lines", None)
        declaration = services.start_declaration(
            by=by, call=validated.pop("call"), organisation=validated.pop("organisation")
        )
        return services.save_draft(by=by, declaration=declaration, fields=validated, lines=_lines(lines))

    def update(self, declaration, validated):
        lines = validated.pop("budget_lines", None)
        return services.save_draft(
            by=self.context["request"].user, declaration=declaration, fields=validated, lines=_lines(lines)
        )


def _lines(lines):
    if lines is None:
        return None
    try:
        return [dict(line) for line in lines]
    except (TypeError, ValueError) as exc:
        raise DomainError(str(exc)) from exc

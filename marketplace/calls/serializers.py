from django.db import transaction
from rest_framework import serializers

from portal.core.errors import DomainError
from portal.core.money import MoneySerializerField

from . import services
from .models import (
    Award,
    Declaration,
    DeclarationBudgetLine,
    FundingCall,
    MatchingRule,
    Objection,
    ReviewAssignment,
    RubricCriterion,
    Score,
)


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
    # What is left in the pool: the balance of the call's fund in the public ledger.
    pool_left = MoneySerializerField(read_only=True, help_text="What is left in the pool (the fund's balance).")
    fund = serializers.IntegerField(
        source="fund_id", read_only=True, allow_null=True, help_text="The call's fund in the public ledger."
    )

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
            "pool_left",
            "fund",
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


class DeclarationBudgetLineSerializer(serializers.ModelSerializer):
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
    budget_lines = DeclarationBudgetLineSerializer(many=True, required=False)
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


class ScoreInputSerializer(serializers.Serializer):
    criterion = serializers.IntegerField()
    score = serializers.IntegerField(min_value=0, max_value=10)
    comment = serializers.CharField(max_length=2000)


class ScoresSerializer(serializers.Serializer):
    """Every criterion of the call's rubric, scored 0–10 with a comment."""

    scores = ScoreInputSerializer(many=True)

    def validate_scores(self, rows):
        return {row["criterion"]: (row["score"], row["comment"]) for row in rows}


class ScoreSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.name", read_only=True)

    class Meta:
        model = Score
        fields = ["criterion", "score", "comment"]


class ReviewSerializer(serializers.ModelSerializer):
    """A review: the reviewer's own scores; the other reviewers' only once they have submitted theirs."""

    declaration = serializers.IntegerField(source="declaration_id", read_only=True)
    declaration_title = serializers.CharField(source="declaration.title", read_only=True)
    call = serializers.SlugRelatedField(source="declaration.call", slug_field="slug", read_only=True)
    scores = ScoreSerializer(many=True, read_only=True)
    others = serializers.SerializerMethodField()

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "declaration",
            "declaration_title",
            "call",
            "kind",
            "status",
            "conflict",
            "total",
            "scores",
            "others",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_others(self, review) -> list[dict]:
        from . import review as reviews

        user = self.context["request"].user
        shown = reviews.scores_visible_to(user, review.declaration).exclude(pk=review.pk).filter(status="submitted")
        return [{"total": str(r.total), "kind": r.kind} for r in shown]


class AwardSerializer(serializers.ModelSerializer):
    declaration_title = serializers.CharField(source="declaration.title", read_only=True)
    organisation = serializers.CharField(source="declaration.organisation.display_name", read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    computed = MoneySerializerField(read_only=True)
    amount = MoneySerializerField(read_only=True)
    note_text = serializers.CharField(source="get_note_display", read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "call",
            "rank",
            "declaration",
            "declaration_title",
            "organisation",
            "score",
            "reviewers",
            "matched_share",
            "computed",
            "amount",
            "note",
            "note_text",
            "override_reason",
        ]
        read_only_fields = fields


class OverrideSerializer(serializers.Serializer):
    amount = MoneySerializerField(min_fen=0)
    reason = serializers.CharField(max_length=1000)


class ObjectionSerializer(serializers.ModelSerializer):
    """An objection and its public answer; who objected is not shown."""

    class Meta:
        model = Objection
        fields = ["id", "call", "award", "reason", "status", "answer", "created_at", "answered_at"]
        read_only_fields = ["status", "answer", "created_at", "answered_at"]

    def create(self, validated):
        from . import results

        return results.object_to_results(
            by=self.context["request"].user,
            call=validated["call"],
            award=validated.get("award"),
            reason=validated["reason"],
        )


class AnswerSerializer(serializers.Serializer):
    uphold = serializers.BooleanField(help_text="True takes the call back to review to correct its results.")
    answer = serializers.CharField(max_length=2000)

"""What the milestones, progress reports and evaluations API reads and writes."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.projects.models import Project, ProjectStatus
from portal.core.money import MoneySerializerField
from portal.core.text import LONG_TEXT, NOTE_TEXT

from .forms import SpendingSerializer
from .models import CRITERION_FIELDS, MAX_SCORE, MIN_SCORE, Evaluation, EvaluationChannel, Milestone, ProgressReport


class TrancheSerializer(serializers.Serializer):
    amount = MoneySerializerField()
    status = serializers.CharField()
    paid_at = serializers.DateTimeField(allow_null=True)


class MilestoneSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.exclude(status=ProjectStatus.DRAFT))
    tranche_amount = MoneySerializerField(required=False, default=0)
    tranche = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "url",
            "project",
            "title",
            "description",
            "due_on",
            "tranche_amount",
            "status",
            "is_overdue",
            "reported_at",
            "reported_on_time",
            "decided_at",
            "decision_note",
            "tranche",
        ]
        read_only_fields = ["status", "reported_at", "reported_on_time", "decided_at", "decision_note"]
        extra_kwargs = {"description": {"required": False, "default": ""}}

    @extend_schema_field(TrancheSerializer(allow_null=True))
    def get_tranche(self, milestone):
        tranche = getattr(milestone, "tranche", None)
        if tranche is None:
            return None
        return TrancheSerializer(tranche).data


class SpendingReadSerializer(serializers.Serializer):
    budget_line = serializers.IntegerField(source="budget_line_id")
    label = serializers.CharField(source="budget_line.label")
    amount = MoneySerializerField()
    note = serializers.CharField()


class PhotoSerializer(serializers.Serializer):
    url = serializers.CharField(source="get_absolute_url")
    caption = serializers.CharField()


class ProgressReportSerializer(serializers.ModelSerializer):
    """A progress report. POST as JSON (with `spending`) or multipart (with `photos`; spending then as JSON
    text in `spending_json`)."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.exclude(status=ProjectStatus.DRAFT))
    milestone = serializers.PrimaryKeyRelatedField(
        queryset=Milestone.objects.all(), required=False, allow_null=True, default=None
    )
    body = serializers.CharField(max_length=LONG_TEXT)
    spending = SpendingSerializer(many=True, required=False, default=list)
    photos = serializers.ListField(
        child=serializers.ImageField(), write_only=True, required=False, default=list, max_length=6
    )
    photo_files = PhotoSerializer(source="photos", many=True, read_only=True)
    spending_lines = SpendingReadSerializer(source="spending", many=True, read_only=True)
    organisation = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "milestone",
            "organisation",
            "body",
            "is_final",
            "spending",
            "photos",
            "photo_files",
            "spending_lines",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"is_final": {"required": False, "default": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data.pop("spending", None)
        return data


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(" + "|".join(EvaluationChannel.values) + ")$",
        "description": "online, or meeting (a paper sheet of an evaluation meeting)",
    }
)
class ChannelField(serializers.ChoiceField):
    """The rating's channel, described inline (the name "channel" is taken by the needs' enum)."""


class EvaluationSerializer(serializers.ModelSerializer):
    """A rating of a completed project on the stated criteria (1–5 each). POST: a verified resident of the
    project's region, while its window is open. Paper ratings of an evaluation meeting: POST `paper/`
    (staff)."""

    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.exclude(status=ProjectStatus.DRAFT))
    overall = serializers.FloatField(source="overall_score", read_only=True)
    channel = ChannelField(choices=EvaluationChannel.choices, read_only=True)
    comment = serializers.CharField(max_length=NOTE_TEXT, required=False, allow_blank=True, default="")

    class Meta:
        model = Evaluation
        fields = ["id", "project", *CRITERION_FIELDS, "overall", "comment", "channel", "created_at"]
        read_only_fields = ["channel", "created_at"]
        extra_kwargs = {name: {"min_value": MIN_SCORE, "max_value": MAX_SCORE} for name in CRITERION_FIELDS}


class PaperEvaluationSerializer(EvaluationSerializer):
    paper_name = serializers.CharField(max_length=60)

    class Meta(EvaluationSerializer.Meta):
        fields = [*EvaluationSerializer.Meta.fields, "paper_name", "meeting"]
        extra_kwargs = {
            **EvaluationSerializer.Meta.extra_kwargs,
            "meeting": {"required": False, "allow_null": True, "default": None},
        }

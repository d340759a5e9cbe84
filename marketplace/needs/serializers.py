"""What the needs API reads and writes: the need itself, and each action's input."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from deliberation.councils.models import Council
from portal.core.models import Category
from portal.core.notes import NoteSerializer
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.organisations.models import Organisation
from portal.regions.models import Region

from .forms import DEADLINE_RANGE
from .models import Need, NeedEvent


class NeedEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeedEvent
        fields = ["kind", "from_status", "to_status", "note", "created_at"]


class NeedSerializer(serializers.ModelSerializer):
    """Public fields; contact details only for those allowed to see them (see to_representation)."""

    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    department = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    public_name = serializers.CharField(read_only=True, allow_null=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    PRIVATE = ("contact_name", "contact_phone", "external_ref")

    class Meta:
        model = Need
        fields = [
            "id",
            "url",
            "title",
            "description",
            "category",
            "region",
            "channel",
            "status",
            "public_name",
            "show_name_publicly",
            "contact_name",
            "contact_phone",
            "external_ref",
            "department",
            "assignee",
            "project",
            "answer",
            "rating",
            "supporters_count",
            "is_overdue",
            "escalation_level",
            "created_at",
            "accept_deadline",
            "answer_deadline",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = [
            "status",
            "department",
            "assignee",
            "project",
            "answer",
            "rating",
            "supporters_count",
            "is_overdue",
            "escalation_level",
            "created_at",
            "accept_deadline",
            "answer_deadline",
            "answered_at",
            "closed_at",
        ]
        extra_kwargs = {"channel": {"required": False}, "external_ref": {"validators": []}}

    def to_representation(self, need):
        data = super().to_representation(need)
        request = self.context.get("request")
        if request is None or not request.user.has_perm("needs.view_need_private", need):
            for field in self.PRIVATE:
                data.pop(field, None)
        return data


class NeedDetailSerializer(NeedSerializer):
    timeline = NeedEventSerializer(source="events", many=True, read_only=True)

    class Meta(NeedSerializer.Meta):
        fields = [*NeedSerializer.Meta.fields, "timeline"]


class ReferSerializer(NoteSerializer):
    council = serializers.PrimaryKeyRelatedField(
        queryset=Council.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text="The council the topic goes to; empty: the council nearest to the need.",
    )


class AddToNeedSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    description = serializers.CharField(max_length=LONG_TEXT)


class DispatchSerializer(serializers.Serializer):
    department = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.departments())
    deadline = serializers.DateTimeField(required=False, allow_null=True, default=None, validators=[DEADLINE_RANGE])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=LONG_TEXT)


class RateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())


class MergeSerializer(serializers.Serializer):
    needs = serializers.PrimaryKeyRelatedField(queryset=Need.objects.all(), many=True, required=False, default=list)
    title = serializers.CharField(max_length=160)
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=LONG_TEXT)

"""What the topics API reads and writes."""

from rest_framework import serializers

from deliberation.councils.models import Council
from portal.core.models import Category
from portal.core.text import LONG_TEXT, NOTE_TEXT

from .models import Topic, TopicStatus


class TopicSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", queryset=Council.objects.filter(is_active=True))
    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True, default=None
    )
    body = serializers.CharField(max_length=LONG_TEXT)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id",
            "url",
            "council",
            "title",
            "body",
            "category",
            "region",
            "status",
            "support_count",
            "merged_into",
            "decision_reason",
            "source_need",
            "created_at",
            "queued_at",
            "decided_at",
        ]
        read_only_fields = [
            "region",
            "status",
            "support_count",
            "merged_into",
            "decision_reason",
            "source_need",
            "created_at",
            "queued_at",
            "decided_at",
        ]


class ClassifySerializer(serializers.Serializer):
    category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT)


class MergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(
        queryset=Topic.objects.filter(status__in=[TopicStatus.COLLECTING, TopicStatus.QUEUED])
    )
    note = serializers.CharField(max_length=NOTE_TEXT, required=False, allow_blank=True, default="")

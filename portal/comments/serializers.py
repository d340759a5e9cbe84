"""What the comments API reads and writes. A hidden comment carries no text at all."""

from rest_framework import serializers

from portal.core.text import NOTE_TEXT

from .models import COMMENT_TEXT, Comment
from .registry import COMMENTABLE


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField(help_text="The sanitised HTML of the comment; null once hidden.")
    hidden_reason = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "url", "parent", "author", "html", "status", "hidden_reason", "created_at", "edited_at"]
        read_only_fields = fields

    def get_author(self, comment) -> str:
        return comment.author.public_name

    def get_html(self, comment) -> str | None:
        return None if comment.is_hidden else comment.body_html

    def get_hidden_reason(self, comment) -> str | None:
        return comment.hidden_reason if comment.is_hidden else None


class CommentCreateSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=sorted(COMMENTABLE))
    target_id = serializers.IntegerField(min_value=1)
    body = serializers.CharField(max_length=COMMENT_TEXT)
    parent = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)


class CommentEditSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_TEXT)


class ReportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HideSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_TEXT)

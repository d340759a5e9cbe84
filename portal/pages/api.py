"""Read-only API of what the portal publishes: notices and project books (live, public, not expired)."""

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from wagtail.models import Locale

from marketplace.projects.models import Project
from portal.api import routes

from .models import NoticeCategory, NoticePage, ProjectBookEntry, ProjectBookPage
from .models.base import not_expired


def _locale(request):
    code = request.query_params.get("language") or request.LANGUAGE_CODE
    return Locale.objects.filter(language_code=code).first() or Locale.get_default()


class NoticeSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    category = serializers.ChoiceField(choices=NoticeCategory.choices)
    region = serializers.StringRelatedField()
    language = serializers.CharField(source="locale.language_code")

    class Meta:
        model = NoticePage
        fields = [
            "id", "title", "url", "language", "category", "issuing_body", "region", "pinned",
            "summary", "body", "first_published_at", "last_published_at", "expire_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.URLField())
    def get_url(self, page):
        return page.get_full_url(self.context.get("request"))


class BookProjectSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url")
    region = serializers.StringRelatedField()
    category = serializers.StringRelatedField()
    funding_percent = serializers.IntegerField()
    open_to_claim = serializers.BooleanField()

    class Meta:
        model = Project
        fields = [
            "id", "title", "url", "summary", "status", "category", "region", "budget", "amount_raised",
            "funding_percent", "beneficiaries", "beneficiary_count", "open_to_claim",
        ]  # fmt: skip


class ProjectBookEntrySerializer(serializers.ModelSerializer):
    project = BookProjectSerializer()

    class Meta:
        model = ProjectBookEntry
        fields = ["sort_order", "note", "project"]


class ProjectBookSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()
    scope_region = serializers.StringRelatedField()
    language = serializers.CharField(source="locale.language_code")
    project_count = serializers.IntegerField()

    class Meta:
        model = ProjectBookPage
        fields = [
            "id",
            "title",
            "url",
            "pdf_url",
            "language",
            "edition",
            "edition_date",
            "scope_region",
            "project_count",
        ]

    @extend_schema_field(serializers.URLField())
    def get_url(self, page):
        return page.get_full_url(self.context.get("request"))

    @extend_schema_field(serializers.URLField())
    def get_pdf_url(self, page):
        return page.get_full_url(self.context.get("request")) + "pdf/"


class ProjectBookDetailSerializer(ProjectBookSerializer):
    entries = ProjectBookEntrySerializer(many=True)

    class Meta(ProjectBookSerializer.Meta):
        fields = ProjectBookSerializer.Meta.fields + ["introduction", "entries"]


class NoticeViewSet(viewsets.ReadOnlyModelViewSet):
    """通知公告: published notices in the requested `language` (zh-hans by default), pinned first."""

    serializer_class = NoticeSerializer
    permission_classes = [AllowAny]
    filterset_fields = ["category", "pinned"]
    ordering_fields = ["first_published_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return NoticePage.objects.none()
        return (
            not_expired(NoticePage.objects.live().public().filter(locale=_locale(self.request)))
            .select_related("region", "locale")
            .order_by("-pinned", "-first_published_at", "-pk")
        )


class ProjectBookViewSet(viewsets.ReadOnlyModelViewSet):
    """社会项目推介书: published editions; the detail lists each project with its live funding status."""

    permission_classes = [AllowAny]
    ordering_fields = ["edition_date"]

    def get_serializer_class(self):
        return ProjectBookDetailSerializer if self.action == "retrieve" else ProjectBookSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProjectBookPage.objects.none()
        books = (
            ProjectBookPage.objects.live()
            .public()
            .filter(locale=_locale(self.request))
            .select_related("scope_region", "locale")
            .annotate(project_count=Count("entries"))
            .order_by("-edition_date", "-pk")
        )
        if self.action == "retrieve":
            entries = ProjectBookEntry.objects.select_related("project__region", "project__category").order_by(
                "sort_order", "pk"
            )
            books = books.prefetch_related(Prefetch("entries", queryset=entries))
        return books


routes.register("notices", NoticeViewSet, basename="notice")
routes.register("project-books", ProjectBookViewSet, basename="project-book")

"""`/api/v1/search/?q=&type=&status=&category=&region=&wanted=&year=&sort=&page=`: the same results as the
search page, with facets: counts per type, status (within a type), category, street (by its region path),
year and the number still short of money. Wired by portal/api/urls.py (search sits below the API layer and
imports none of it)."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import registry
from .facets import region_path
from .query import PAGE_SIZE, SORTS, search


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    type = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    status = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    category = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    region = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, help_text="a region id: records in its whole area"
    )
    wanted = serializers.BooleanField(required=False, default=False, help_text="only records still short of money")
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)

    def validate_type(self, value):
        if value and registry.get(value) is None:
            raise serializers.ValidationError("Unknown type.")
        return value

    def validate_region(self, value):
        path = region_path(value)
        if path is None:
            raise serializers.ValidationError("Unknown region.")
        return path


class Hit(serializers.Serializer):
    type = serializers.CharField(source="doc_type")
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    title_en = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    status = serializers.CharField()
    dated = serializers.DateTimeField()
    gap = serializers.IntegerField(allow_null=True, help_text="fen still wanted")


class SearchView(APIView):
    """Everything public, found by words: needs, projects, books, notices, organisations, calls, topics,
    meetings. Chinese queries are cut into words (社区 养老 finds 社区养老服务中心); every word is required."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[SearchParams],
        responses=inline_serializer(
            "SearchAnswer",
            {
                "count": serializers.IntegerField(),
                "next": serializers.CharField(allow_null=True),
                "previous": serializers.CharField(allow_null=True),
                "results": Hit(many=True),
                "facets": serializers.DictField(child=serializers.DictField(child=serializers.IntegerField())),
                "partial": serializers.BooleanField(help_text="no record holds every word: these hold some"),
            },
        ),
    )
    def get(self, request):
        params = SearchParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        answer = search(
            p["q"],
            language=request.LANGUAGE_CODE,
            doc_type=p["type"],
            status=p["status"],
            category=p.get("category"),
            region_path=p.get("region") or "",
            wanted=p["wanted"],
            year=p.get("year"),
            sort=p["sort"],
            page=p["page"],
        )
        if answer.failed:
            return Response({"detail": "Search is not answering just now."}, status=503)

        def link(number):
            query = request.query_params.copy()
            query["page"] = number
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        has_next = p["page"] * PAGE_SIZE < answer.total
        return Response(
            {
                "count": answer.total,
                "next": link(p["page"] + 1) if has_next else None,
                "previous": link(p["page"] - 1) if p["page"] > 1 and answer.total else None,
                "results": Hit(answer.hits, many=True).data,
                "facets": answer.facets,
                "partial": answer.partial,
            }
        )

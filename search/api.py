"""`/api/v1/search/?q=&type=&status=&category=&sort=&page=`: the same results as the search page, with the
counts per type (and per status within a type) as facets. Wired by portal/api/urls.py (search sits below
the API layer and imports none of it)."""

from django.core.paginator import Paginator
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from . import registry
from .query import PAGE_SIZE, search

SORTS = ("relevance", "newest", "gap")


class SearchParams(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    type = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    status = serializers.CharField(max_length=24, required=False, allow_blank=True, default="")
    category = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    sort = serializers.ChoiceField(choices=SORTS, required=False, default="relevance")
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)

    def validate_type(self, value):
        if value and registry.get(value) is None:
            raise serializers.ValidationError("Unknown type.")
        return value


class Hit(serializers.Serializer):
    type = serializers.CharField(source="doc_type")
    id = serializers.IntegerField(source="object_id")
    title = serializers.CharField()
    title_en = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField()
    status = serializers.CharField()
    dated = serializers.DateTimeField()


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
            sort=p["sort"],
        )
        page = Paginator(answer.entries, PAGE_SIZE).get_page(p["page"]) if answer.terms else None

        def link(number):
            query = request.query_params.copy()
            query["page"] = number
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "count": page.paginator.count if page else 0,
                "next": link(page.next_page_number()) if page and page.has_next() else None,
                "previous": link(page.previous_page_number()) if page and page.has_previous() else None,
                "results": Hit(page.object_list if page else [], many=True).data,
                "facets": answer.facets,
            }
        )

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class LookaheadPagination(PageNumberPagination):
    """Page numbers without COUNT(*): one extra row tells whether there is a next page (portal/core/paging.py).

    For lists that are sorted several ways (a cursor needs one fixed order) and may hold a hundred
    thousand rows: `{"next": url|null, "previous": url|null, "results": [...]}`.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        from portal.core.paging import lookahead_page

        self.request = request
        size = self.get_page_size(request)
        self.page = lookahead_page(queryset, request.query_params.get(self.page_query_param), size)
        return list(self.page)

    def get_next_link(self):
        if not self.page.has_next:
            return None
        from rest_framework.utils.urls import replace_query_param

        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.page.number + 1)

    def get_previous_link(self):
        if not self.page.has_previous:
            return None
        from rest_framework.utils.urls import remove_query_param, replace_query_param

        url = self.request.build_absolute_uri()
        if self.page.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.page.number - 1)

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

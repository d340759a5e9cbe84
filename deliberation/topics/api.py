from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets

from portal.api import routes
from portal.api.pagination import LookaheadPagination
from portal.api.permissions import RulesPermission
from portal.core.kept_views import KeptForAnonymousMixin

from . import services
from .actions import TOPIC_ACTIONS
from .models import Topic
from .serializers import TopicSerializer


class TopicViewSet(
    KeptForAnonymousMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Topics (议题) proposed to councils; public. POST by a verified resident of the council's region while
    it collects topics; `support` by residents of the region (once, not one's own); `classify`, `merge`
    and `reject` by staff of the council's region. Filter by `status`, `council` (slug), `category` (slug)."""

    serializer_class = TopicSerializer
    permission_classes = [RulesPermission]
    pagination_class = LookaheadPagination
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"status": ["exact"], "council__slug": ["exact"], "category__slug": ["exact"]}
    permission_map = {"create": "topics.post_topic", **TOPIC_ACTIONS.permission_map()}

    def get_queryset(self):
        return Topic.objects.select_related("council", "category").order_by("-created_at", "-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.propose_topic(
            by=self.request.user,
            council=data["council"],
            title=data["title"],
            body=data["body"],
            category=data.get("category"),
        )

    locals().update(TOPIC_ACTIONS.api_methods(response=TopicSerializer))


routes.register("topics", TopicViewSet, basename="topic")

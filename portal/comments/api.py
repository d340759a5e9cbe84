from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from portal.api import routes
from portal.api.pagination import LookaheadPagination
from portal.api.permissions import RulesPermission

from . import services
from .actions import COMMENT_ACTIONS
from .models import Comment
from .registry import COMMENTABLE, entry_for
from .serializers import CommentCreateSerializer, CommentEditSerializer, CommentSerializer

TARGET_PARAMETERS = [
    OpenApiParameter("target_type", OpenApiTypes.STR, enum=sorted(COMMENTABLE), required=True),
    OpenApiParameter("target_id", OpenApiTypes.INT, required=True),
]


def _target(user, kind, pk):
    """The record commented on, if it may be commented on and `user` may see it; else a 404."""
    entry = COMMENTABLE.get(kind)
    target = entry.get(pk) if entry is not None else None
    if target is None or not entry.can_view(user, target):
        raise Http404
    return target


class ThreadPagination(LookaheadPagination):
    page_size = 100


@extend_schema_view(list=extend_schema(parameters=TARGET_PARAMETERS))
class CommentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Comments on topics, projects, notices and agenda items, oldest first.

    List with `?target_type=topic&target_id=N`. POST (signed in; on deliberation records, verified
    residents of the region). PATCH `body` by the author within the edit window. `report` for anyone
    signed in; `hide` (with a reason) and `dismiss` for moderators. A hidden comment has no `html`."""

    serializer_class = CommentSerializer
    permission_classes = [RulesPermission]
    pagination_class = ThreadPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_map = {
        "create": "comments.post_comment",
        "partial_update": "comments.change_comment",
        **COMMENT_ACTIONS.permission_map(),
    }

    def get_queryset(self):
        comments = Comment.objects.select_related("author").order_by("created_at", "id")
        if self.action != "list" or getattr(self, "swagger_fake_view", False):
            return comments
        try:
            kind, pk = self.request.query_params["target_type"], int(self.request.query_params["target_id"])
        except (KeyError, ValueError):
            raise ValidationError({"detail": "Give target_type and target_id (a number)."}) from None
        if kind not in COMMENTABLE:
            raise ValidationError({"target_type": f"One of: {', '.join(sorted(COMMENTABLE))}."})
        return comments & Comment.objects.on(_target(self.request.user, kind, pk))

    def get_object(self):
        comment = super().get_object()
        entry = entry_for(comment.target) if comment.target is not None else None
        if entry is None or not entry.can_view(self.request.user, comment.target):
            raise Http404
        return comment

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def create(self, request):
        payload = CommentCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        target = _target(request.user, data["target_type"], data["target_id"])
        parent = None
        if data["parent"]:
            parent = Comment.objects.on(target).filter(pk=data["parent"]).select_related("parent").first()
            if parent is None:
                raise ValidationError({"parent": "No such comment on this record."})
        comment = services.post_comment(by=request.user, target=target, body=data["body"], parent=parent)
        return Response(CommentSerializer(comment, context=self.get_serializer_context()).data, status=201)

    @extend_schema(request=CommentEditSerializer, responses=CommentSerializer)
    def partial_update(self, request, pk=None):
        comment = self.get_object()
        payload = CommentEditSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        comment = services.edit_comment(by=request.user, comment=comment, body=payload.validated_data["body"])
        return Response(
            CommentSerializer(comment, context=self.get_serializer_context()).data, status=status.HTTP_200_OK
        )

    locals().update(COMMENT_ACTIONS.api_methods(response=CommentSerializer))


routes.register("comments", CommentViewSet, basename="comment")

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from .models import FOLLOWABLE, Follow


def _key(obj):
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


def can_follow(user, obj):
    perm = FOLLOWABLE.get(_key(obj))
    return bool(perm) and user.is_authenticated and user.has_perm(perm, obj)


def follow(*, by, obj):
    """Idempotent: a second follow (a double click, two tabs) changes nothing."""
    if not can_follow(by, obj):
        raise PermissionDenied
    kind = ContentType.objects.get_for_model(obj)
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(user=by, content_type=kind, object_id=obj.pk)
    except IntegrityError:
        pass  # the other request won the race: followed either way


def unfollow(*, by, obj):
    kind = ContentType.objects.get_for_model(obj)
    Follow.objects.filter(user=by, content_type=kind, object_id=obj.pk).delete()


def is_following(user, obj):
    if not user.is_authenticated:
        return False
    kind = ContentType.objects.get_for_model(obj)
    return Follow.objects.filter(user=user, content_type=kind, object_id=obj.pk).exists()


def followers_of(obj):
    """The people following `obj`, who may still see it."""
    kind = ContentType.objects.get_for_model(obj)
    users = get_user_model().objects.filter(follows__content_type=kind, follows__object_id=obj.pk, is_active=True)
    perm = FOLLOWABLE.get(_key(obj))
    return [u for u in users.order_by("pk") if perm and u.has_perm(perm, obj)]

import json

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditEntry


def _jsonable(data):
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def record_action(*, by, action, target=None, before=None, after=None, note=""):
    """Append an audit entry. Call inside the transaction that makes the change."""
    return AuditEntry.objects.create(
        actor=by if getattr(by, "pk", None) else None,
        actor_repr=str(getattr(by, "username", None) or "system"),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        before=_jsonable(before),
        after=_jsonable(after),
        note=note,
    )

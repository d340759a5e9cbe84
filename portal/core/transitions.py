"""One way for every record with a status to change it.

Each record declares its table of allowed moves next to its status choices
(`{SUBMITTED: {ACCEPTED, REJECTED}, …}`) and a `Workflow`. `Workflow.move`:

1. locks the row (`SELECT … FOR UPDATE` of that row only);
2. returns it unchanged if it is already in the target state, so a double click
   or a replayed webhook is harmless;
3. refuses, with a domain error, a move the table does not allow or an actor
   the record's permission does not allow;
4. sets the status and stamps the time of the move;
5. writes the record's timeline event (`TimelineEvent`, or the record's own, like
   a need's) and, when staff act, an audit entry;
6. runs the record's follow-up in the same transaction (notifications go through
   `notify`, which sends its emails after the commit; tasks wait for the commit).

Services call it; views and the API call services (through the record's action
table, see `portal.core.actions`).
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError, TransitionNotAllowed


class NotPermitted(DomainError, PermissionDenied):
    """The actor may not make this move: a 403 for the API, a message for a page."""

    status_code = 403

    def __init__(self, message=None, code="not_permitted"):
        super().__init__(message or _("You are not allowed to do this."), code)


@dataclass
class Workflow:
    """The moves of one model's status field, and what every move does besides."""

    model: Any
    transitions: dict
    field: str = "status"
    # Status reached -> field stamped with the time (e.g. {"accepted": "accepted_at"}).
    stamps: dict = dataclasses.field(default_factory=dict)
    # Writes the timeline event: (obj, by=, from_status=, to_status=, note=, at=) -> event.
    record: Any = None
    # Audit action prefix (e.g. "project" gives "project.published"); None: no audit entries.
    audit: str | None = None

    def allows(self, current, target):
        return target in self.transitions.get(current, ())

    def targets(self, current):
        return set(self.transitions.get(current, ()))

    def lock(self, obj):
        return self.model.objects.select_for_update(of=("self",)).get(pk=obj.pk)

    @transaction.atomic
    def move(self, obj, *, to, by=None, perm=None, note="", apply=None, after=None, again=False):
        """Move `obj` to `to`; see the module's docstring. Returns the (re-read) object.

        `by=None` is the system itself (beat jobs, webhooks): no permission to check.
        `perm` is checked against the locked row. `apply(obj, now)` sets the fields the
        move carries (a department, an answer); `after(obj, previous)` is the follow-up
        (notifications). `again=True` lets a move the table allows from a state to itself
        (re-dispatching to another department) run although the state does not change.
        """
        locked = self.lock(obj)
        current = getattr(locked, self.field)
        if current == to and not (again and self.allows(current, to)):
            return locked
        if not self.allows(current, to):
            raise TransitionNotAllowed(
                _("“%(current)s” cannot become “%(target)s”.")
                % {"current": self._label(locked, current), "target": self._label(locked, to)}
            )
        if by is not None and perm and not by.has_perm(perm, locked):
            raise NotPermitted()
        now = timezone.now()
        setattr(locked, self.field, to)
        if to in self.stamps:
            setattr(locked, self.stamps[to], now)
        if apply:
            apply(locked, now)
        locked.save()
        event = self._record(locked, by=by, from_status=current, to_status=to, note=note, at=now)
        self._audit(locked, by=by, previous=current, note=note)
        if after:
            after(locked, current)
        locked._last_event = event
        return locked

    def _label(self, obj, value):
        choices = dict(self.model._meta.get_field(self.field).choices)
        return str(choices.get(value, value))

    def _record(self, obj, **event):
        if self.record is not None:
            return self.record(obj, **event)
        return TimelineRecorder.record(obj, **event)

    def _audit(self, obj, *, by, previous, note):
        if not self.audit or by is None or not getattr(by, "is_authenticated", False):
            return
        from portal.accounts.roles import is_staff_member

        if not (by.is_superuser or is_staff_member(by)):
            return
        from portal.audit.services import record_action

        record_action(
            by=by,
            action=f"{self.audit}.{getattr(obj, self.field)}",
            target=obj,
            before={self.field: previous},
            after={self.field: getattr(obj, self.field)},
            note=note,
        )


class TimelineRecorder:
    """The shared timeline: one `TimelineEvent` per move of any record without a timeline of its own."""

    @staticmethod
    def record(obj, *, by, from_status, to_status, note, at):
        from django.contrib.contenttypes.models import ContentType

        from .models import TimelineEvent

        return TimelineEvent.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            from_status=from_status,
            to_status=to_status,
            actor=by if getattr(by, "pk", None) else None,
            note=note,
            created_at=at,
        )


def timeline_of(obj):
    """The shared timeline of `obj`, oldest first, with the actors."""
    from django.contrib.contenttypes.models import ContentType

    from .models import TimelineEvent

    return TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")


def labelled_timeline(obj, statuses):
    """`timeline_of(obj)` with each step named in the reader's language (`statuses`: the record's choices),
    for templates/includes/timeline.html."""
    labels = dict(statuses.choices)
    events = list(timeline_of(obj))
    for event in events:
        event.label = labels.get(event.to_status, event.to_status)
    return events

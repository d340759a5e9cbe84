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
   a need's) and runs the move hooks (`on_move`: the audit app writes its entry
   there when staff act), all in the same transaction;
6. runs the record's follow-up in the same transaction (notifications go through
   `notify`, which sends its emails after the commit; tasks wait for the commit);
7. emits `status.moved` (`portal.core.events`), delivered after the commit.

`Workflow.move_many` does the same for many records at once (all or nothing),
`Workflow.start` writes a new record's first timeline entry and `Workflow.annotate`
an entry that changes no status (money handed back, a gift moved).

Services call it; views and the API call services (through the record's action
table, see `portal.core.actions`). Core imports nothing above it: the apps that
care about moves (audit) register a hook from their `AppConfig.ready`.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .errors import DomainError, TransitionNotAllowed

_move_hooks = []


def on_move(hook):
    """Call `hook(workflow, obj, *, by, previous, note)` inside the transaction of every move (after its
    timeline entry, before its follow-up). Idempotent; usable as a decorator. A hook that raises undoes
    the move: it is part of it (the audit entry is written this way)."""
    if hook not in _move_hooks:
        _move_hooks.append(hook)
    return hook


def off_move(hook):
    if hook in _move_hooks:
        _move_hooks.remove(hook)


class NotPermitted(DomainError, PermissionDenied):
    """The actor may not make this move: a 403 for the API, a message for a page."""

    status_code = 403

    def __init__(self, message=None, code="not_permitted"):
        super().__init__(message or _("You are not allowed to do this."), code)


# Every workflow made, in the order their modules were imported (a test checks each has its action table).
WORKFLOWS = []


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
    # The permission of a move when the caller gives none: a name, {target: name} or a callable
    # (by, obj, target) -> bool. None: the caller checks (or nobody needs to).
    perm: Any = None
    # The states' choices, for a `field` that is not a model field with choices (a property).
    choices: Any = None

    def __post_init__(self):
        WORKFLOWS.append(self)

    def allows(self, current, target):
        return target in self.transitions.get(current, ())

    def targets(self, current):
        return set(self.transitions.get(current, ()))

    def lock(self, obj):
        return self.model.objects.select_for_update(of=("self",)).get(pk=obj.pk)

    def permits(self, by, obj, to, perm=None):
        """Whether `by` may move `obj` to `to` (`perm`: a name, {target: name}, a callable or None: the
        workflow's own). The system (`by=None`) always may."""
        perm = self.perm if perm is None else perm
        if by is None or not perm:
            return True
        if callable(perm):
            return bool(perm(by, obj, to))
        if isinstance(perm, dict):
            perm = perm.get(to)
            if not perm:
                return True
        return by.has_perm(perm, obj)

    def label(self, obj, value):
        """The status `value` named in the reader's language."""
        choices = self.choices
        if choices is None:
            try:
                choices = self.model._meta.get_field(self.field).choices
            except FieldDoesNotExist:
                choices = ()
        elif hasattr(choices, "choices"):
            choices = choices.choices
        return str(dict(choices or ()).get(value, value))

    def _refuse(self, obj, current, to):
        raise TransitionNotAllowed(
            _("“%(current)s” cannot become “%(target)s”.")
            % {"current": self.label(obj, current), "target": self.label(obj, to)}
        )

    @transaction.atomic
    def move(self, obj, *, to, by=None, perm=None, note="", apply=None, after=None, again=False):
        """Move `obj` to `to`; see the module's docstring. Returns the (re-read) object.

        `by=None` is the system itself (beat jobs, webhooks): no permission to check.
        `perm` (a name, {target: name} or a callable (by, obj, to) -> bool) is checked against
        the locked row. `apply(obj, now)` sets the fields the move carries (a department, an
        answer); `after(obj, previous)` is the follow-up (notifications). `again=True` lets a
        move the table allows from a state to itself (re-dispatching to another department) run
        although the state does not change.
        """
        locked = self.lock(obj)
        current = getattr(locked, self.field)
        if current == to and not (again and self.allows(current, to)):
            return locked
        if not self.allows(current, to):
            self._refuse(locked, current, to)
        if not self.permits(by, locked, to, perm):
            raise NotPermitted()
        now = timezone.now()
        self._set(locked, to, now, apply)
        locked.save()
        locked._last_event = self._moved(locked, by=by, previous=current, note=note, at=now)
        if after:
            after(locked, current)
        return locked

    @transaction.atomic
    def move_many(self, objs, *, to, by=None, perm=None, note="", apply=None, after=None):
        """Move every record of `objs` (a queryset or records) to `to`, all or nothing.

        The rows are locked in id order; those already at `to` are left alone. If the table
        refuses the move of any of them, or `by` may not move one, nothing moves and the error
        says so. Each record moved gets its timeline entry, its hooks (audit), its `after` and
        its `status.moved` event, as with `move`. Returns the records moved (re-read, locked).
        """
        pks = list(objs.values_list("pk", flat=True)) if isinstance(objs, QuerySet) else [obj.pk for obj in objs]
        if not pks:
            return []
        rows = self.model.objects.select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")
        moving = [row for row in rows if getattr(row, self.field) != to]
        refused = [row for row in moving if not self.allows(getattr(row, self.field), to)]
        if refused:
            if len(refused) == 1:
                self._refuse(refused[0], getattr(refused[0], self.field), to)
            raise TransitionNotAllowed(
                _("%(count)s of these cannot become “%(target)s” (the first: %(first)s, which is “%(current)s”).")
                % {
                    "count": len(refused),
                    "target": self.label(refused[0], to),
                    "first": refused[0],
                    "current": self.label(refused[0], getattr(refused[0], self.field)),
                }
            )
        if any(not self.permits(by, row, to, perm) for row in moving):
            raise NotPermitted()
        if not moving:
            return []
        now = timezone.now()
        previous = {}
        for row in moving:
            previous[row.pk] = getattr(row, self.field)
            self._set(row, to, now, apply)
        if apply:  # `apply` may set any field: write every column of the (locked) rows
            fields = [f.name for f in self.model._meta.concrete_fields if not f.primary_key]
        else:
            fields = [self.field, *([self.stamps[to]] if to in self.stamps else [])]
        self.model.objects.bulk_update(moving, fields, batch_size=500)
        for row in moving:
            row._last_event = self._moved(row, by=by, previous=previous[row.pk], note=note, at=now)
        if after:
            for row in moving:
                after(row, previous[row.pk])
        return moving

    def start(self, obj, *, by=None, note="", at=None):
        """The first entry of a new record's timeline: from nothing to the status it was created in."""
        return self._record(
            obj,
            by=by,
            from_status="",
            to_status=getattr(obj, self.field),
            note=note,
            at=at or getattr(obj, "created_at", None) or timezone.now(),
        )

    def annotate(self, obj, *, by=None, note, at=None):
        """A timeline entry that changes no status (money handed back, a gift moved elsewhere)."""
        status = getattr(obj, self.field)
        return self._record(obj, by=by, from_status=status, to_status=status, note=note, at=at or timezone.now())

    def _set(self, obj, to, now, apply):
        setattr(obj, self.field, to)
        if to in self.stamps:
            setattr(obj, self.stamps[to], now)
        if apply:
            apply(obj, now)

    def _moved(self, obj, *, by, previous, note, at):
        """What every move does once the row is written: timeline, hooks, the event after the commit."""
        event = self._record(obj, by=by, from_status=previous, to_status=getattr(obj, self.field), note=note, at=at)
        for hook in list(_move_hooks):
            hook(self, obj, by=by, previous=previous, note=note)
        events.emit(
            "status.moved",
            obj,
            from_status=previous,
            to_status=getattr(obj, self.field),
            by=getattr(by, "pk", None),
        )
        return event

    def _record(self, obj, **event):
        if self.record is not None:
            return self.record(obj, **event)
        return TimelineRecorder.record(obj, **event)


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

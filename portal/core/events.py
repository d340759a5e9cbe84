"""Domain events, delivered once the change that caused them is committed.

The feature that changes something says so (`emit("money.moved", project, amount=…)`);
whoever must react (page cache purges, home counters, book pages, the live pledge board)
subscribes by name from its own `AppConfig.ready`. Nothing relies on `post_save` of a
model that another app updates with `.update()`, and nothing reacts to a change that
was rolled back: events wait for the commit (`transaction.on_commit`), so a subscriber
always reads the committed state.

Event names in use (the emitter owns each):

- ``money.moved``: a ledger entry changed a project's total (funding's ledger);
  ``pk`` is the project's, ``data["amount"]`` the signed change in fen.
- ``status.moved``: a record changed status through `Workflow` (``data["from_status"]``,
  ``data["to_status"]``); ``label`` says which model ("projects.project").
- ``page.published``: a CMS page was published or unpublished.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

ANY = "*"


@dataclass(frozen=True)
class Event:
    name: str
    label: str = ""  # "app_label.modelname" of the record it is about, if any
    pk: Any = None
    data: dict = field(default_factory=dict)


_subscribers: dict[str, list] = defaultdict(list)


def subscribe(name, handler):
    """Call `handler(event)` after the commit of every change that emits `name` (or every event, for ANY).

    Idempotent: subscribing the same handler twice (a second `ready()`) keeps one.
    """
    if handler not in _subscribers[name]:
        _subscribers[name].append(handler)
    return handler


def unsubscribe(name, handler):
    if handler in _subscribers[name]:
        _subscribers[name].remove(handler)


def label_of(obj_or_model):
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def emit(name, obj=None, *, using=None, **data):
    """Deliver the event `name` about `obj` once the current transaction commits (at once outside one)."""
    event = Event(name=name, label=label_of(obj) if obj is not None else "", pk=getattr(obj, "pk", None), data=data)
    transaction.on_commit(partial(dispatch, event), using=using)
    return event


def dispatch(event):
    """Run every subscriber of `event`; one that fails is logged and does not stop the others."""
    for handler in (*_subscribers.get(event.name, ()), *_subscribers.get(ANY, ())):
        try:
            handler(event)
        except Exception:
            logger.exception("subscriber %r failed on %s", handler, event)

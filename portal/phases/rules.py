"""Phase predicates, to compose with role predicates: `phase_open("collect_topics", council_of) & is_resident`."""

import rules

from . import services


def phase_open(kind, subject=lambda obj: obj, name=None):
    """A predicate true while a phase of `kind` of `subject(obj)` is open.

    `subject` maps the rule's object to the record that owns the phases (a topic to its council).
    """

    @rules.predicate(name=name or f"phase_open_{kind}")
    def predicate(user, obj):
        owner = subject(obj) if obj is not None else None
        return owner is not None and services.is_open(owner, kind)

    return predicate

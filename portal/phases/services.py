"""Asking which phases of a record are open. Rules call these; so do pages, to say when a window opens."""

from django.utils import timezone

from .models import Phase


def is_open(obj, kind, when=None):
    """True while a phase of `kind` of `obj` is open."""
    if obj is None or obj.pk is None:
        return False
    return Phase.objects.of(obj).filter(kind=kind).open_at(when).exists()


def current(obj, kind, when=None):
    return Phase.objects.of(obj).filter(kind=kind).open_at(when).first()


def next_phase(obj, kind, when=None):
    """The next phase of `kind` still to open, to tell people when they can act."""
    return Phase.objects.of(obj).filter(kind=kind, starts_at__gt=when or timezone.now()).first()


def set_window(obj, kind, starts_at, ends_at, title=""):
    """Create a phase of `kind` for `obj` (the services of the owning app call this)."""
    return Phase.objects.create(subject=obj, kind=kind, starts_at=starts_at, ends_at=ends_at, title=title)

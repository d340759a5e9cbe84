"""What this process keeps between requests: bounded copies, and markup kept until its records change.

`ProcessCopies` is a plain dict emptied when full: its operations are atomic under the
interpreter lock, and for content rebuilt in a few milliseconds that is as good as an LRU
and cheaper. The page cache (`portal.pages.cache`) keeps its recent pages and fragments in
such copies.

`KeptMarkup` is for markup many requests share that changes only when some records change:
a filter form listing every category and street, a select of 180 departments. It is rendered
once per process for each key (and language) and kept under a version in the shared cache.
Saving or deleting one of its source records renews the version once the transaction
commits, so every worker renders it again on its next request. The version is read once per
request, however many pieces of one `KeptMarkup` a page shows.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation


class ProcessCopies(dict):
    def __init__(self, max_entries):
        super().__init__()
        self.max_entries = max_entries

    def put(self, key, value):
        if len(self) >= self.max_entries:
            self.clear()
        self[key] = value


def shared_version(key):
    """The version kept under `key` in the shared cache, made if missing.

    A cache emptied (or one that keeps nothing) gives a new version, so nothing a process kept
    from before can pass for current.
    """
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key) or uuid.uuid4().hex
    return version


_ALL = []


class KeptMarkup:
    def __init__(self, name, *, sources, max_entries=256):
        """`sources` maps each model label ("core.Category") whose changes show in the markup to the
        fields that matter, or None for any save (a login's `last_login` is not a new name)."""
        self.name = name
        self.version_key = f"kept-markup:{name}"
        self.sources = sources
        self._copies = ProcessCopies(max_entries)
        _ALL.append(self)

    def renew(self):
        cache.set(self.version_key, uuid.uuid4().hex, None)

    def version(self, request=None):
        memo = request.__dict__.setdefault("_kept_markup_versions", {}) if request is not None else {}
        if self.name not in memo:
            memo[self.name] = shared_version(self.version_key)
        return memo[self.name]

    def get(self, key, render, request=None):
        """`render()`'s markup for `key` in the active language, from this process's copy while current."""
        full_key = (self.version(request), translation.get_language(), key)
        markup = self._copies.get(full_key)
        if markup is None:
            markup = render()
            self._copies.put(full_key, markup)
        return markup

    def renew_on(self, signal, sender=None):
        """Also renew on another signal (Wagtail's page_published, say)."""
        signal.connect(self._changed, sender=sender, weak=False, dispatch_uid=f"kept-{self.name}-{id(signal)}-{sender}")

    def connect(self):
        """Renew the version when a source record is saved or deleted (called from an app's `ready`)."""
        for label, fields in self.sources.items():
            post_save.connect(
                self._saved(fields), sender=label, weak=False, dispatch_uid=f"kept-{self.name}-save-{label}"
            )
            post_delete.connect(self._changed, sender=label, weak=False, dispatch_uid=f"kept-{self.name}-del-{label}")

    def _saved(self, fields):
        def receiver(update_fields=None, **kwargs):
            if fields and update_fields is not None and not set(update_fields) & set(fields):
                return
            self._changed()

        return receiver

    def _changed(self, **kwargs):
        transaction.on_commit(self.renew)

    def forget(self):
        self._copies.clear()


def forget_kept_markup():
    """Empty every process copy (tests that change records outside a transaction's commit)."""
    for kept in _ALL:
        kept.forget()

"""A need's timeline as people read it: the platform's own notes in the reader's language.

Timeline notes are stored as written when the step happened, in the language of whoever
(or whatever job) made it: the channel a need came in by, "Deadline passed.", "Supervision
order to 白云街道.". On the page they are shown in the reader's language instead: the channel
from its code, the platform's sentences recognised in any language and said again in the
active one, with the names in them (regions, departments, statuses) in that language too.
Anything else is what a person wrote, marked with its language by the `written` filter.
The API keeps the stored note (codes and all): labels are for pages.
"""

import functools
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.organisations.models import Organisation
from portal.regions.models import Region

from .models import Channel, EventKind, NeedStatus

DEADLINE_PASSED = _("Deadline passed.")
SUPERVISION_ORDER = _("Supervision order to %(region)s.")
CLOSED_AFTER_FOLLOW_UP = _("Closed after follow-up.")
REOPENED = _("Reopened: the resident is not satisfied.")
OVERDUE_REASON = _("Deadline %(deadline)s passed while the need was “%(status)s”.")

# The platform's sentences a note may hold, and what each placeholder names.
SENTENCES = [DEADLINE_PASSED, SUPERVISION_ORDER, CLOSED_AFTER_FOLLOW_UP, REOPENED, OVERDUE_REASON]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _languages():
    return [code for code, _name in settings.LANGUAGES]


@functools.lru_cache(maxsize=64)
def _pattern(index, language):
    with translation.override(language):
        text = str(SENTENCES[index])
    parts, names, end = [], [], 0
    for match in PLACEHOLDER.finditer(text):
        parts += [re.escape(text[end : match.start()]), "(.+?)"]
        names.append(match.group(1))
        end = match.end()
    parts.append(re.escape(text[end:]))
    return re.compile("^" + "".join(parts) + "$"), names


def _status_label(label):
    """A status's label in the active language, from its label in any language."""
    for language in _languages():
        with translation.override(language):
            for value, text in NeedStatus.choices:
                if str(text) == label:
                    return NeedStatus(value).label
    return label


def _region_name(name):
    region = Region.objects.filter(name=name).only("name", "name_en").first()
    return region.display_name if region else name


def _department_name(name):
    organisation = Organisation.objects.filter(name=name).only("name", "name_en").first()
    return organisation.display_name if organisation else name


CONVERTERS = {"region": _region_name, "status": _status_label}


def retranslate(note):
    """`note` in the active language if it is one of the platform's sentences, else None."""
    for index, sentence in enumerate(SENTENCES):
        for language in _languages():
            pattern, names = _pattern(index, language)
            match = pattern.match(note)
            if match:
                groups = zip(names, match.groups(), strict=True)
                values = {name: CONVERTERS.get(name, str)(value) for name, value in groups}
                return str(sentence) % values if values else str(sentence)
    return None


def channel_label(note):
    """The channel's label in the active language, when `note` names a channel (by code or label in any language)."""
    if note in Channel.values:
        return Channel(note).label
    for language in _languages():
        with translation.override(language):
            for value, label in Channel.choices:
                if str(label) == note:
                    return Channel(value).label
    return None


def display_note(event, need=None):
    """The note of a timeline entry as the reader reads it (a string; a person's words unchanged)."""
    note = event.note
    if not note:
        return ""
    if event.kind == EventKind.STATUS and event.to_status == NeedStatus.SUBMITTED:
        label = channel_label(note)
        if label is not None:
            return str(label)
    if event.kind == EventKind.STATUS and event.to_status == NeedStatus.DISPATCHED and need is not None:
        department = need.department
        if department is not None and note == department.name:
            return department.display_name
        if Organisation.objects.filter(name=note).exists():
            return _department_name(note)
    if event.to_status == NeedStatus.MERGED:
        return note  # the project's title
    return retranslate(note) or note


def with_display_notes(events, need):
    """The entries, each with `display_note` set (for the need page)."""
    events = list(events)
    for event in events:
        event.display_note = display_note(event, need)
    return events

"""Rows stored as rendered text, before message keys: give those that can be recognised their key and parameters.

A stored title (and body) is matched against every registered message as written in each language; a row is
keyed only when exactly one message reads back as exactly its stored text in that language. A message whose
body is put together from parts (a function) gets its key from the title and keeps its stored body
(`STORED_BODY`). Rows nothing matches keep their stored text.
"""

import re

from django.conf import settings
from django.db import transaction
from django.utils import translation

from .messages import REGISTRY, STORED_BODY, Values, autodiscover

_PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])|%%")
_MONEY = re.compile(r"^-?¥[\d,]+\.\d{2}$")
MIN_LITERAL = 3  # a template with less fixed text than this ("%(org)s: %(status)s") says too little to match


def _pattern(template, *, min_literal=0):
    parts, seen, literal, end = [], set(), "", 0
    for match in _PLACEHOLDER.finditer(template):
        text = template[end : match.start()]
        parts.append(re.escape(text))
        literal += text
        end = match.end()
        if match.group() == "%%":
            parts.append("%")
            literal += "%"
            continue
        name, kind = match.groups()
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.*?)")
    parts.append(re.escape(template[end:]))
    literal += template[end:]
    if len(literal.strip()) < min_literal and seen:
        return None
    return re.compile("".join(parts), re.S)


def _is_text(template):
    return bool(template) and not (callable(template) and not hasattr(template, "_proxy____cast"))


def _patterns():
    autodiscover()
    table = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for message in REGISTRY.values():
                if message.labels or not _is_text(message.title):
                    continue
                title = _pattern(str(message.title), min_literal=MIN_LITERAL)
                if title is None:
                    continue
                body = _pattern(str(message.body)) if _is_text(message.body) else None
                table.append((language, message, title, body))
    return table


def _value(text):
    if _MONEY.match(text):
        return {"fen": int(text.replace("¥", "").replace(",", "").replace(".", ""))}
    return text


def recognise(title, body, table=None):
    """(key, params) for a stored title and body, or None."""
    found = {}
    for language, message, title_pattern, body_pattern in table if table is not None else _patterns():
        match = title_pattern.fullmatch(title)
        if match is None:
            continue
        params = {k: _value(v) for k, v in match.groupdict().items()}
        if _is_text(message.body):
            body_match = body_pattern.fullmatch(body or "") if body_pattern is not None else None
            if body_match is None:
                continue
            from_body = {k: _value(v) for k, v in body_match.groupdict().items()}
            if any(name in params and params[name] != value for name, value in from_body.items()):
                continue
            params.update(from_body)
        elif message.body:  # put together from parts: the stored body stays
            params[STORED_BODY] = True
        elif body:
            continue
        with translation.override(language):  # it must read back as stored
            try:
                values = Values(params, message.labels)
                text = str(message.body) % values if _is_text(message.body) else body or ""
                again = (str(message.title) % values, text)
            except (KeyError, TypeError, ValueError):
                continue
        if again != (title, body or ""):
            continue
        found.setdefault(message.key, params)
    if len(found) != 1:
        return None
    return next(iter(found.items()))


def key_old_notifications(model=None, batch=1000):
    """Key every recognisable row without a key; returns how many were keyed. Idempotent."""
    from .models import Notification

    model = model or Notification
    table = _patterns()
    keyed, last = 0, 0
    while True:
        rows = list(
            model.objects.filter(message_key="", pk__gt=last).order_by("pk").only("pk", "title", "body")[:batch]
        )
        if not rows:
            return keyed
        last = rows[-1].pk
        changed = []
        for row in rows:
            recognised = recognise(row.title, row.body, table)
            if recognised is not None:
                row.message_key, row.params = recognised
                changed.append(row)
        with transaction.atomic():
            model.objects.bulk_update(changed, ["message_key", "params"])
        keyed += len(changed)

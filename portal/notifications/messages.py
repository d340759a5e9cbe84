"""Notification messages: a key and its parameters are stored; the text is written when read, in the reader's language.

Each app defines its messages in its `messages.py` (found by `autodiscover`) or any module it imports::

    GIFT_RECEIVED = Message("funding.gift_received", title=_("Gift received: %(amount)s"), body=...)
    notify(users=[donor], message=GIFT_RECEIVED, params={"amount": money(payment.amount)}, url=...)

`title` and `body` are lazy strings with named placeholders, or functions of the parameters
(`Values`, for a text put together from parts) returning text in the active language. Parameters are
JSON: ids and plain values — what a person wrote (a need's title, a reason) stays as written, in its
language (pages mark it with `written`); `money(fen)` and `when(datetime)` are shown in the reader's
format when read, `named(record)` and `in_languages(function)` in the reader's language;
`labels={"status": SomeChoices}` shows a stored choice value as its label.
"""

import logging
from datetime import date, datetime
from importlib import import_module

from django.apps import apps
from django.utils import timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import module_has_submodule

from portal.core.languages import localized_name
from portal.core.money import format_money

logger = logging.getLogger(__name__)

REGISTRY = {}
STORED_BODY = "stored_body"  # a parameter: the row's stored body is its text (an older row keyed afterwards)
_discovered = False
PROJECT_PACKAGES = ("portal.", "marketplace.", "deliberation.", "search.", "tests.")


class Message:
    def __init__(self, key, *, title, body="", labels=None):
        self.key, self.title, self.body, self.labels = key, title, body, dict(labels or {})
        REGISTRY[key] = self

    def __repr__(self):
        return f"<Message {self.key}>"

    def render(self, params):
        """(title, body) in the active language."""
        values = Values(params or {}, self.labels)
        if values.get(STORED_BODY):  # an older row keyed afterwards: its stored body is the text
            return _fill(self.title, values), ""
        return _fill(self.title, values), _fill(self.body, values)


def _fill(template, values):
    if not template:
        return ""
    if callable(template) and not hasattr(template, "_proxy____cast"):  # a function, not a lazy string
        return str(template(values) or "")
    return str(template) % values


def money(fen):
    """An amount (in fen), shown as the reader's money when read."""
    return {"fen": int(fen)}


def when(moment):
    """A date or time, shown in local time with its year when read."""
    if isinstance(moment, datetime):
        return {"at": moment.isoformat()}
    if isinstance(moment, date):
        return {"date": moment.isoformat()}
    return moment


def named(record):
    """A record's name (`name`, and `name_en` if it has one), shown in the reader's language when read."""
    if record is None:
        return ""
    return {"zh": record.name, "en": getattr(record, "name_en", "") or ""}


def in_languages(write):
    """`write()` (a text in the active language) taken now in Chinese and in English; the reader's when read."""
    with translation.override("zh-hans"):
        chinese = str(write() or "")
    with translation.override("en"):
        english = str(write() or "")
    return {"zh": chinese, "en": english}


class Values(dict):
    """The stored parameters as they read now: amounts formatted, times local, choices as their labels."""

    def __init__(self, params, labels=None):
        super().__init__(params)
        self.labels = labels or {}

    def __getitem__(self, name):
        value = super().__getitem__(name)
        if name in self.labels and value not in ("", None):
            try:
                return self.labels[name](value).label
            except ValueError:
                return value
        if isinstance(value, dict):
            if "fen" in value:
                return format_money(value["fen"])
            if "at" in value:
                moment = parse_datetime(value["at"])
                return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
            if "date" in value:
                day = parse_date(value["date"])
                return day.strftime("%Y-%m-%d") if day else ""
            if "zh" in value:
                return localized_name(value["zh"], value.get("en", ""))
        return "" if value is None else value

    def get(self, name, default=None):  # through __getitem__: the value as it reads
        return self[name] if name in self else default  # noqa: SIM401


def autodiscover():
    """Import each project app's `messages` module once (where its messages register themselves)."""
    global _discovered
    if _discovered:
        return
    _discovered = True
    for config in apps.get_app_configs():
        if config.name.startswith(PROJECT_PACKAGES) and module_has_submodule(config.module, "messages"):
            import_module(f"{config.name}.messages")


def lookup(key):
    """The registered message for `key`, or None (an old row's key no longer defined)."""
    if not key:
        return None
    if key not in REGISTRY:
        autodiscover()
    return REGISTRY.get(key)


def render(key, params):
    """(title, body) for a stored key and parameters in the active language, or None if it cannot be."""
    message = lookup(key)
    if message is None:
        return None
    try:
        return message.render(params)
    except (KeyError, TypeError, ValueError):
        logger.exception("notification message %s cannot be written with %r", key, params)
        return None

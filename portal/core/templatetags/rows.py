"""`{% rowcache record [vary …] %}…{% endrowcache %}`: a list row rendered once for what it shows.

A row of a long list (the staff queue's fifty needs) costs ~100 µs of template work, the
same again on every page view although the record rarely changed. This keeps each row's
output, in this process, under everything it can depend on:

- the record's loaded field values and those of the related records loaded with it
  (`select_related`), so any change to what the row shows is a new key;
- the visitor, the language, the script prefix and the `vary` values given;
- the time, as the deadline filters read it: today's date and, for every date and time among
  those values, how late it is in days and hours (`overdue_by` words it by either).

A row whose rendering read anything more (a field or a record loaded on the way, any query)
is not kept, and a block with `{% csrf_token %}` or `{% now %}` is refused when the template
is compiled. Rows are kept in a bounded LRU; nothing is shared between processes.
"""

import threading
from collections import OrderedDict
from datetime import datetime

from django import template
from django.db import connection
from django.template.defaulttags import CsrfTokenNode, NowNode
from django.urls import get_script_prefix
from django.utils import timezone, translation

register = template.Library()

_ROWS = OrderedDict()
_ROWS_MAX = 4096
_LOCK = threading.Lock()


def forget_rows():
    with _LOCK:
        _ROWS.clear()


def _values(obj):
    values = tuple(item for item in obj.__dict__.items() if item[0][0] != "_")
    try:
        hash(values)
    except TypeError:  # a list or dict among them: compared by its repr
        values = tuple((name, repr(value)) for name, value in values)
    return values


def _loaded(record):
    """What the record holds: its field values and the related records loaded with it (one level)."""
    related = getattr(getattr(record, "_state", None), "fields_cache", {})
    return _values(record), tuple((name, None if obj is None else _values(obj)) for name, obj in related.items())


def _times(loaded, now):
    """For each date and time among the values, how late it is in days and hours (what `overdue_by` reads).

    Finer than the filter's own wording, so the key changes at least whenever its text does.
    """
    own, related = loaded
    values = [v for _n, v in own] + [v for _r, fields in related if fields for _n, v in fields]
    late = []
    for value in values:
        if isinstance(value, datetime) and timezone.is_aware(value):
            delta = now - value
            late.append((delta.days, delta.seconds // 3600) if delta.total_seconds() > 0 else None)
    return tuple(late)


class RowCacheNode(template.Node):
    def __init__(self, nodelist, record, vary_on):
        self.nodelist, self.record, self.vary_on = nodelist, record, vary_on

    def _render_key(self, context, request):
        """What is the same for every row of one rendering: this block, the visitor, the script prefix, the day."""
        keys = context.__dict__.setdefault("_rowcache_keys", {})
        key = keys.get(id(self))
        if key is None:
            user = getattr(request, "user", None)
            key = keys[id(self)] = (
                (id(self), getattr(user, "pk", None), get_script_prefix(), timezone.localdate()),
                timezone.now(),
            )
        return key

    def render(self, context):
        record = self.record.resolve(context)
        request = context.get("request")
        if record is None or not hasattr(record, "_state") or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        loaded = _loaded(record)
        same, now = self._render_key(context, request)
        key = (
            same,
            translation.get_language(),
            context.autoescape,
            _times(loaded, now),
            loaded,
            *(repr(v.resolve(context)) for v in self.vary_on),
        )
        with _LOCK:
            html = _ROWS.get(key)
            if html is not None:
                _ROWS.move_to_end(key)
                return html
        queried = []

        def watch(execute, sql, params, many, context_):
            queried.append(sql)
            return execute(sql, params, many, context_)

        with connection.execute_wrapper(watch):
            html = self.nodelist.render(context)
        if not queried and _loaded(record) == loaded:
            with _LOCK:
                _ROWS[key] = html
                while len(_ROWS) > _ROWS_MAX:
                    _ROWS.popitem(last=False)
        return html


@register.tag
def rowcache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("rowcache needs the row's record")
    nodelist = parser.parse(("endrowcache",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode) or nodelist.get_nodes_by_type(NowNode):
        raise template.TemplateSyntaxError("rowcache cannot keep {% csrf_token %} or {% now %}: they change every time")
    return RowCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])

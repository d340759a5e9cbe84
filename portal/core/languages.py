"""Which of a record's two names people read, and how Chinese text is marked in other languages.

Categories, regions and organisations have a Chinese `name` and an optional `name_en`.
`display_name` (on each model) is the one choice: the English name when English is active
and one is set, the Chinese name otherwise. Text that people wrote (needs, logs,
organisations' descriptions) is never translated; in an English page it is marked
`lang="zh-hans"` so screen readers read it in Chinese (WCAG 3.1.2), by the `written`
filter (portal/core/templatetags/written.py).
"""

import re

from django.utils import translation

# CJK Unified Ideographs and Extension A: a text containing one of these is Chinese.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CHINESE = "zh-hans"


def is_chinese_active():
    return (translation.get_language() or CHINESE).lower().startswith("zh")


def localized_name(name, name_en):
    """`name_en` when the active language is not Chinese and it is set, else `name`."""
    if name_en and not is_chinese_active():
        return name_en
    return name


def has_han(text):
    return bool(text) and HAN.search(str(text)) is not None


class DisplayNameMixin:
    """`display_name`: the record's name in the active language (falls back to the Chinese `name`)."""

    @property
    def display_name(self):
        return localized_name(self.name, getattr(self, "name_en", ""))


class WrittenFieldsMixin:
    """A form whose text fields may hold what people wrote in Chinese: on a page in another language
    such a field says so (`lang="zh-hans"` on the input or textarea), like the `written` filter does."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_chinese_active():
            return
        from django import forms

        for name, field in self.fields.items():
            if isinstance(field.widget, forms.TextInput | forms.Textarea):
                value = self[name].value()
                if isinstance(value, str) and has_han(value):
                    field.widget.attrs["lang"] = CHINESE


def mark_written_fields(form):
    """On a page in another language, mark the fields that hold Chinese someone wrote (a draft's text, a
    choice staff named) with `lang`, so screen readers read them in Chinese (WCAG 3.1.2)."""
    if is_chinese_active():
        return form
    for name, field in form.fields.items():
        value = form.data.get(form.add_prefix(name)) if form.is_bound else form.initial.get(name, field.initial)
        labels = [str(label) for _value, label in getattr(field, "choices", ())]
        if has_han(str(value or "")) or (labels and all(has_han(label) for label in labels if label)):
            field.widget.attrs["lang"] = CHINESE
    return form

"""What people wrote, marked with its language on pages in another language (WCAG 3.1.2).

`{{ need.title|written }}` — the text, escaped; on an English page, the Chinese in it is wrapped
in `<span lang="zh-hans">…</span>` so that screen readers switch voice. Only the Chinese runs are
wrapped: a notification's English sentence quoting a need's Chinese title keeps its English.
`<p{{ need.description|written_lang }}>{{ need.description|linebreaksbr }}</p>` — the same for a
block: ` lang="zh-hans"` on the element that holds it, or nothing.

Both are builtins (portal/settings/base.py): every template may use them without loading them.
"""

import re

from django import template
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from portal.core.languages import CHINESE, HAN, has_han, is_chinese_active

register = template.Library()

# A run of Chinese: Han characters with the punctuation, full-width forms, digits and spaces
# between them (and digits around them: 3号楼 is one run), from a Han or CJK mark to another.
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_RUN = re.compile(f"[0-9]*[{_CJK}](?:[{_CJK}0-9\\s\\-·.,:;/()#%+]*[{_CJK}0-9])?")


def _needs_mark(text):
    return not is_chinese_active() and has_han(text)


@register.filter
def written(text):
    if text is None:
        return ""
    if not _needs_mark(text):
        return conditional_escape(text)
    text, parts, end = str(text), [], 0
    for run in _RUN.finditer(text):
        if HAN.search(run.group()):
            parts += [escape(text[end : run.start()]), format_html('<span lang="{}">{}</span>', CHINESE, run.group())]
            end = run.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # every part escaped above


@register.filter
def written_lang(text):
    if _needs_mark(text):
        return mark_safe(f' lang="{CHINESE}"')  # a constant
    return ""

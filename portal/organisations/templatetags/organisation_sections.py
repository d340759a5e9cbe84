from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from ..sections import sections

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_sections(context, organisation):
    """Every registered section of the organisation's page, in order."""
    parts = [section.render(context, organisation) for section in sections()]
    return format_html_join("", "{}", ((mark_safe(part),) for part in parts if part))

"""`{% breadcrumb_trail current "label" url … %}`: Home › each (label, url) pair › the current page.

A builtin (settings.TEMPLATES), so detail pages of every app write one line in their `breadcrumbs` block.
"""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumb_trail(current, *pairs):
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("breadcrumb_trail takes the current page, then label and url pairs")
    steps = [{"label": pairs[i], "url": pairs[i + 1]} for i in range(0, len(pairs), 2) if pairs[i + 1]]
    return {"home": reverse("wagtail_serve", args=[""]), "steps": steps, "current": current}

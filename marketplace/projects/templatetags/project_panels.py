from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from ..panels import project_panels as registered

register = template.Library()


@register.simple_tag(takes_context=True)
def project_panels(context, project):
    """Every panel other apps registered for the project page (marketplace/projects/panels.py), in order."""
    return mark_safe("".join(conditional_escape(panel.render(context, project)) for panel in registered()))

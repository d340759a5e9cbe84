"""`{% organisation_name org %}`: an organisation's name as the viewer may see it (Organisation.name_for):
the last verified name for the public while a new one waits for verification, the pending one for its
members and the staff who verify it."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_name(context, organisation):
    request = context.get("request")
    return organisation.name_for(getattr(request, "user", None))

from django import template
from django.template.loader import render_to_string

from ..track_record import track_record as compute_track_record

register = template.Library()


@register.simple_tag(takes_context=True)
def track_record(context, organisation):
    """An organisation's track record as an implementer (one query): `{% track_record organisation %}`."""
    return render_to_string(
        "implementation/includes/track_record.html",
        {"record": compute_track_record(organisation), "organisation": organisation},
        request=context.get("request"),
    )

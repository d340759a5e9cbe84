from django import template

from portal.follows import services

register = template.Library()


@register.inclusion_tag("follows/follow_button.html", takes_context=True)
def follow_button(context, obj):
    request = context["request"]
    user = request.user
    return {
        "obj": obj,
        "kind": f"{obj._meta.app_label}.{obj._meta.model_name}",
        "following": services.is_following(user, obj),
        "can_follow": user.is_authenticated and services.can_follow(user, obj),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }

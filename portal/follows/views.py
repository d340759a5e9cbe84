from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import FOLLOWABLE


def _target(kind, pk):
    if kind not in FOLLOWABLE:
        raise Http404
    model = apps.get_model(kind)
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@login_required
@require_POST
def toggle(request, kind, pk):
    obj = _target(kind, pk)
    if not services.can_follow(request.user, obj):
        raise Http404
    if request.POST.get("follow") == "off":
        services.unfollow(by=request.user, obj=obj)
        messages.success(request, _("You no longer follow this."))
    else:
        services.follow(by=request.user, obj=obj)
        messages.success(request, _("You follow this now: its news will reach you."))
    target = request.POST.get("next") or obj.get_absolute_url()
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = obj.get_absolute_url()
    return redirect(target)

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .context_processors import LARGE, TEXT_SIZE_COOKIE
from .health import LABELS, run_checks


@never_cache
@require_GET
def healthz(request):
    checks = run_checks()
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks}, status=200 if healthy else 503)


@never_cache
@require_GET
def status_page(request):
    """/healthz for people: each service's check, readable (the footer links here)."""
    checks = run_checks()
    healthy = all(c["ok"] for c in checks.values())
    names = {
        "database": _("Database"),
        "cache": _("Cache"),
        "broker": _("Task queue"),
        "search": _("Search"),
        **LABELS,
    }
    rows = [{"name": names.get(key, key), **check} for key, check in checks.items()]
    return render(request, "core/status.html", {"healthy": healthy, "checks": rows}, status=200 if healthy else 503)


# A year: the choice is a reader's, not a session's.
TEXT_SIZE_MAX_AGE = 365 * 24 * 3600


@csrf_exempt  # it sets nothing but this cookie (as the language switch does for visitors), and pages stay cacheable
@require_POST
def text_size(request):
    """The header's large-text switch: remembered in a cookie, read on every page (and by the page cache)."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("large_text") == "on":
        response.set_cookie(
            TEXT_SIZE_COOKIE, LARGE, max_age=TEXT_SIZE_MAX_AGE, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response


def is_api_request(request):
    return request.path.startswith("/api/")


def error_response(request, status, message, code, template=None):
    """An error as the client reads it: JSON under /api/ (as the API documents), a page elsewhere."""
    if is_api_request(request):
        return JsonResponse({"detail": str(message), "code": code}, status=status)
    return render(request, template or f"{status}.html", {"message": message}, status=status)


def bad_request(request, exception=None):
    from django.core.exceptions import DisallowedHost, RequestDataTooBig
    from django.http import HttpResponseBadRequest
    from django.template.loader import render_to_string

    if isinstance(exception, DisallowedHost) and not is_api_request(request):
        # Every page of the site asks for the host (menus, links): a page that needs no request.
        return HttpResponseBadRequest(render_to_string("400_host.html"))
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413, _("The request is too large."), "too_large", "400.html")
    return error_response(request, 400, _("The request could not be understood."), "bad_request")


def permission_denied(request, exception=None):
    return error_response(request, 403, _("You do not have permission to do this."), "permission_denied")


@csrf_exempt
def api_not_found(request):
    return error_response(request, 404, _("Not found."), "not_found")


def page_not_found(request, exception=None):
    return error_response(request, 404, _("Not found."), "not_found")


def server_error(request):
    return error_response(request, 500, _("Something went wrong on our side."), "server_error")


@require_GET
def security_txt(request):
    """RFC 9116: where to report a vulnerability."""
    from datetime import timedelta

    from django.conf import settings
    from django.http import HttpResponse
    from django.utils import timezone

    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0).isoformat()
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires}",
        "Preferred-Languages: zh, en",
        f"Canonical: {settings.SITE_URL.rstrip('/')}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")

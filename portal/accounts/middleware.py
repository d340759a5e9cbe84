from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.core.middleware import LANGUAGE_CODES

from .roles import is_staff_member


class UserLanguageMiddleware:
    """Use the profile's language for a logged-in user who has not picked one in this browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user.language in LANGUAGE_CODES
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


# Views a staff member who has not passed the second factor in this session may still open:
# logging in and out, enrolling (and reading their recovery codes), proving the factor.
MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "set_language",
        "text_size",
        "healthz",
        "status",
    }
)
MFA_EXEMPT_PREFIXES = ("/static/", "/media/", "/favicon")


def passed_second_factor(request, user):
    """True when this session's login included the second factor (or proved it since)."""
    from allauth.account.authentication import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def has_second_factor(user):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists()


def must_use_second_factor(user):
    return settings.MFA_REQUIRED_FOR_STAFF and (user.is_superuser or is_staff_member(user))


class StaffMFARequiredMiddleware:
    """Staff must have enrolled a second factor and passed it in this session before anything else.

    Enrolled is not enough: a session opened with the password alone (a stolen password)
    is sent to prove the factor. API calls get a JSON 403 instead of a redirect; token
    calls are checked by the token authentication (portal.api.auth), which runs later.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not must_use_second_factor(user):
            return None
        match = request.resolver_match
        if (match and match.url_name in MFA_EXEMPT_URL_NAMES) or request.path.startswith(MFA_EXEMPT_PREFIXES):
            return None
        if passed_second_factor(request, user):
            return None
        enrolled = has_second_factor(user)
        if request.path.startswith("/api/"):
            message = (
                _("Prove your second factor on the site first: staff accounts use two-factor authentication.")
                if enrolled
                else _("Staff accounts must set up two-factor authentication before using the API.")
            )
            return JsonResponse({"detail": str(message), "code": "mfa_required"}, status=403)
        target = reverse("mfa_reauthenticate" if enrolled else "mfa_activate_totp")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")

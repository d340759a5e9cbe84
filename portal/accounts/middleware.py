from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation

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


# Paths a staff member without a second factor may still use: enrolment itself, logout, assets.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/media/", "/i18n/", "/healthz", "/favicon")


class StaffMFARequiredMiddleware:
    """Staff roles must enrol a second factor (allauth.mfa) before anything else."""

    session_key = "gongzhi_mfa_enrolled"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.MFA_REQUIRED_FOR_STAFF and self._must_enrol(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_enrol(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(MFA_EXEMPT_PREFIXES):
            return False
        if request.session.get(self.session_key):
            return False
        if not (user.is_superuser or is_staff_member(user)):
            return False
        from allauth.mfa.models import Authenticator

        if Authenticator.objects.filter(user=user).exists():
            request.session[self.session_key] = True
            return False
        return True

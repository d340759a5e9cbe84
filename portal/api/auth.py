from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle

from portal.accounts.roles import is_staff_member


class TokenThrottle(AnonRateThrottle):
    """Password guessing through the API is throttled like the login form."""

    scope = "token"


class TokenRequestSerializer(AuthTokenSerializer):
    """Username or email, password, and the TOTP code when the account uses a second factor."""

    otp = serializers.CharField(label=_("Authenticator code"), required=False, write_only=True)

    def validate(self, attrs):
        from allauth.account.adapter import get_adapter
        from allauth.core import context
        from allauth.mfa.base.internal.flows import check_rate_limit
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP
        from django.core.exceptions import ValidationError

        # The login form's limits hold here too (ACCOUNT_RATE_LIMITS["login_failed"]: per address, as
        # the trusted proxies give it, and per account): allauth's adapter counts every wrong password
        # and refuses an account past its limit, whatever password comes next.
        request = self.context["request"]._request
        login = attrs.get("username", "")
        credentials = {"email" if "@" in login else "username": login, "password": attrs.get("password", "")}
        adapter = get_adapter(request)
        try:
            user = adapter.authenticate(request, **credentials)
        except ValidationError as exc:
            raise exceptions.Throttled(detail=_("Too many failed attempts. Please try again later.")) from exc
        if user is None or not user.is_active:
            raise serializers.ValidationError(_("Unable to log in with provided credentials."), code="authorization")
        attrs["user"] = user
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            if settings.MFA_REQUIRED_FOR_STAFF and (user.is_superuser or is_staff_member(user)):
                raise serializers.ValidationError(
                    _("Staff accounts must set up two-factor authentication before using the API."), code="mfa_required"
                )
            return attrs
        attrs["second_factor"] = True
        # Codes share the web login's second step budget (allauth.mfa's per-account limit), so guesses
        # through both doors add up; a wrong code also counts as a failed login of this account.
        with context.request_context(request):
            try:
                clear_code_limit = check_rate_limit(user)
            except ValidationError as exc:
                raise exceptions.Throttled(detail=_("Too many failed attempts. Please try again later.")) from exc
            if TOTP(totp).validate_code(attrs.get("otp", "")):
                clear_code_limit()
                return attrs
        try:
            adapter.pre_authenticate(request, **credentials)
        except ValidationError as exc:
            raise exceptions.Throttled(detail=_("Too many failed attempts. Please try again later.")) from exc
        raise serializers.ValidationError(_("Enter the current code from your authenticator app."), code="otp")


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username (or email) and password for an API token."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: {"type": "object", "properties": {"token": {}}}})
    def post(self, request, *args, **kwargs):
        from rest_framework.response import Response

        from portal.accounts.tokens import token_for

        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return Response({"token": token_for(data["user"], second_factor=data.get("second_factor", False)).key})

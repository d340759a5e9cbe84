from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
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
        from allauth.mfa.models import Authenticator
        from allauth.mfa.totp.internal.auth import TOTP

        attrs = super().validate(attrs)
        user = attrs["user"]
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            if settings.MFA_REQUIRED_FOR_STAFF and (user.is_superuser or is_staff_member(user)):
                raise serializers.ValidationError(
                    _("Staff accounts must set up two-factor authentication before using the API."), code="mfa_required"
                )
            return attrs
        if not TOTP(totp).validate_code(attrs.get("otp", "")):
            raise serializers.ValidationError(_("Enter the current code from your authenticator app."), code="otp")
        return attrs


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username (or email) and password for an API token."""

    serializer_class = TokenRequestSerializer
    throttle_classes = [TokenThrottle]

    @extend_schema(request=TokenRequestSerializer, responses={200: {"type": "object", "properties": {"token": {}}}})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

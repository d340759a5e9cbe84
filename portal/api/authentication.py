"""How API requests authenticate: the session (the site's allauth login) or a token."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class StaffAwareTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing staff tokens until the account has a second factor.

    Tokens are only issued after the TOTP code (ObtainTokenView), so a token of an enrolled
    account has passed the second factor; one issued before enrolment became required has not.
    """

    def authenticate_credentials(self, key):
        from portal.accounts.middleware import has_second_factor, must_use_second_factor

        user, token = super().authenticate_credentials(key)
        if must_use_second_factor(user) and not has_second_factor(user):
            raise exceptions.AuthenticationFailed(
                _("Staff accounts must set up two-factor authentication before using the API.")
            )
        return user, token

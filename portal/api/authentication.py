"""How API requests authenticate: the session (the site's allauth login) or a token."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


class StaffAwareTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing tokens issued on the password alone (portal.accounts.tokens)
    when their owner has a second factor or must use one (staff while MFA_REQUIRED_FOR_STAFF)."""

    def authenticate_credentials(self, key):
        from portal.accounts.middleware import has_second_factor
        from portal.accounts.tokens import token_is_acceptable

        user, token = super().authenticate_credentials(key)
        if not token_is_acceptable(user, token):
            if has_second_factor(user):
                raise exceptions.AuthenticationFailed(
                    _("This token was issued without an authenticator code: ask for a new one with the code.")
                )
            raise exceptions.AuthenticationFailed(
                _("Staff accounts must set up two-factor authentication before using the API.")
            )
        return user, token

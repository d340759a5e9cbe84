"""API tokens and the second factor: which were issued after one, issuing, revoking."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from .middleware import has_second_factor, must_use_second_factor
from .models import SecondFactorToken


def issued_with_second_factor(token):
    return SecondFactorToken.objects.filter(token_id=token.pk).exists()


def token_is_acceptable(user, token):
    """A token issued on the password alone is refused once its owner has a second factor or must use one."""
    if issued_with_second_factor(token):
        return True
    return not (must_use_second_factor(user) or has_second_factor(user))


@transaction.atomic
def token_for(user, *, second_factor):
    """The user's API token; asked for with a second-factor code, a password-only key is replaced by a
    fresh one marked as two-factor (the old key never gains what the code proved)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if second_factor and token is not None and not issued_with_second_factor(token):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
        if second_factor:
            SecondFactorToken.objects.create(token=token)
    return token


def revoke_password_only_tokens(user):
    Token.objects.filter(user_id=user.pk, second_factor__isnull=True).delete()

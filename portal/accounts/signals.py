"""Reactions to account events that must hold whatever path caused them."""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver
from rest_framework.authtoken.models import Token


@receiver(authenticator_added)
def _enrolment_proves_the_factor(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means typing a valid code: the session has just passed the second factor."""
    if request is not None and authenticator.type != authenticator.Type.RECOVERY_CODES:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True)


@receiver(authenticator_added)
def _enrolment_revokes_password_only_tokens(sender, user, authenticator, **kwargs):
    """API tokens taken on the password alone stop at enrolment: a new one is asked for with the code."""
    from .tokens import revoke_password_only_tokens

    if authenticator.type != authenticator.Type.RECOVERY_CODES:
        revoke_password_only_tokens(user)


@receiver(pre_save, sender=get_user_model())
def _revoke_tokens_on_new_password(sender, instance, update_fields=None, raw=False, **kwargs):
    """A changed or reset password revokes the user's API tokens, whichever view or command set it."""
    if raw or instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        Token.objects.filter(user_id=instance.pk).delete()

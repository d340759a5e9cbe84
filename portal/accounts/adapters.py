from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # The per-account limit must not keep the owner out: they can log in with a code instead.
        "too_many_login_attempts": _(
            "Too many failed attempts to log in to this account. If it is yours, choose "
            "“Send me a sign-in code” to log in with a code sent to your email address."
        ),
    }

    def _get_login_attempts_cache_key(self, request, **credentials):
        """The per-account lock (ACCOUNT_RATE_LIMITS["login_failed"] per key) counts the account, not
        how its login was spelt: username, email address and letter case share one count. A login
        that names no single account keeps allauth's key (the text itself)."""
        from allauth.account.utils import filter_users_by_email, filter_users_by_username
        from django.contrib.sites.shortcuts import get_current_site

        if credentials.get("email"):
            users = filter_users_by_email(credentials["email"], prefer_verified=True)
        elif credentials.get("username"):
            users = list(filter_users_by_username(credentials["username"]))
        else:
            users = []
        if len(users) == 1:
            return f"{get_current_site(request).domain}:account:{users[0].pk}"
        return super()._get_login_attempts_cache_key(request, **credentials)

    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "") or ""
        language = getattr(request, "LANGUAGE_CODE", None)
        if language in dict(settings.LANGUAGES):
            user.language = language
        if commit:
            user.save()
        return user

"""One wording for the account pages: "Log in", "Sign up", "Log out", "Username or email".

The login, signup, password and two-factor pages are allauth's, and so are their strings.
allauth says "Sign In", "Signup", "Sign Up", "Sign Out" and labels the login field "Login"
(登录 in Chinese); the rest of the portal says "Log in", "Sign up", "Log out". Our own
catalogues (LOCALE_PATHS, which Django reads before the apps' catalogues) reword them:
`locale/en/LC_MESSAGES/django.po` gives the English wording of these msgids, and
`locale/zh_Hans/LC_MESSAGES/django.po` the Chinese where allauth's differs from ours.

The msgids are listed here so that `makemessages` keeps them in both catalogues (it drops
entries no source file mentions). Nothing imports this module; the strings are only marked.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

ALLAUTH_WORDING = [
    # English: Log in / Sign up / Log out, in sentence case like the rest of the portal.
    gettext_noop("Sign In"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Sign-In Code"),
    gettext_noop("Other sign-in options"),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("You will receive a special code for a password-free sign-in."),
    gettext_noop("Sign in with a passkey"),
    gettext_noop("Sign up using a passkey"),
    gettext_noop("Sign In Via %(provider)s"),
    gettext_noop("Sign Out Other Sessions"),
    gettext_noop("Remember Me"),
    gettext_noop("Password Reset"),
    gettext_noop("Reset My Password"),
    gettext_noop("Change Password"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Email Addresses"),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Authenticator App"),
    # The login field: "Username or email" in both languages (allauth: "Login", 登录).
    pgettext_lazy("field label", "Login"),  # lazy: makemessages knows no pgettext_noop
    gettext_noop("Username or email"),
]

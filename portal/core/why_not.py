"""Why a person may not take an action, and what would let them, for the page that hides its button.

Each feature decides the reason from its own rules; these helpers give the common answers the same
words everywhere (log in; verify your residence in your account)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _


def log_in(request, text):
    return {
        "text": text,
        "link": f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}",
        "link_text": _("Log in"),
    }


def verify_residence(region):
    return {
        "text": _("Only verified residents of %(place)s can take part here.") % {"place": region.display_name},
        "link": reverse("accounts:profile"),
        "link_text": _("Add or verify your residence in your account"),
    }


def because(text):
    return {"text": text}

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotesConfig(AppConfig):
    name = "deliberation.votes"
    label = "votes"
    verbose_name = _("Votes")

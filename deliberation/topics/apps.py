from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    name = "deliberation.topics"
    label = "topics"
    verbose_name = _("Topics")

    def ready(self):
        from . import filter_form, search_documents

        filter_form.FILTER_FORM.connect()
        search_documents.register()
        from portal.comments.registry import Commentable, register

        # Anyone may read a topic's discussion; the council region's verified residents take part.
        register(Commentable("topic", "topics.Topic", lambda user, topic: True, region=lambda t: t.council.region))

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "portal.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from portal.core import navigation

        from . import commentable, home_meetings, home_now, search_documents, signals

        commentable.register_notices()
        for model, area in [
            ("pages.projectbookindexpage", "projects"),
            ("pages.noticeindexpage", "news"),
            ("pages.newsindexpage", "news"),
            ("pages.eventindexpage", "news"),
        ]:
            navigation.cms_area(model, area)
        home_meetings.connect()
        search_documents.register()
        home_now.subscribe()  # topics and votes opening or closing change the home page's "take part now"
        signals.subscribe_to_events()  # marketplace changes (money.moved, status.moved, project.changed)
        _sync_locales_unless_loading_fixtures()


def _sync_locales_unless_loading_fixtures():
    """wagtail-localize syncs page trees whenever a LocaleSynchronization is saved, even by loaddata.

    A fixture (or a test database restored from its snapshot) saves it before the Locale it
    points at exists, and the sync then fails; Django marks such saves raw, so skip those.
    """
    from django.db.models.signals import post_save
    from wagtail_localize.models import LocaleSynchronization, sync_trees_on_locale_sync_save

    def sync_unless_raw(instance, raw=False, **kwargs):
        if not raw:
            sync_trees_on_locale_sync_save(instance, **kwargs)

    post_save.disconnect(sync_trees_on_locale_sync_save, sender=LocaleSynchronization)
    post_save.connect(sync_unless_raw, sender=LocaleSynchronization, dispatch_uid="pages.sync_locales_unless_raw")

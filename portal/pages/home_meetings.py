"""The home page lists upcoming meetings: any change to a meeting purges the cached home pages.

The portal listens to the meetings app (it sits above it); the meetings app knows nothing of pages.
"""

from django.db.models.signals import post_delete, post_save


def purge_home_listing_meetings(sender, instance, **kwargs):
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

    from .models import HomePage
    from .signals import now_and_on_commit
    from .stats import forget_home_counters

    if instance.status == "draft":
        return  # a draft is not listed

    def purge():
        forget_home_counters()  # "meetings held"
        purge_pages_from_cache(list(HomePage.objects.all()))

    now_and_on_commit(purge)


def connect():
    from deliberation.meetings.models import Meeting

    for signal in (post_save, post_delete):
        signal.connect(purge_home_listing_meetings, sender=Meeting, dispatch_uid=f"pages.home_meetings.{signal}")

"""The home page lists upcoming meetings: any change to a meeting purges the cached home pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Meeting


@receiver(post_save, sender=Meeting)
@receiver(post_delete, sender=Meeting)
def purge_home_listing_meetings(sender, instance, **kwargs):
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

    from portal.pages.models import HomePage
    from portal.pages.signals import now_and_on_commit

    if instance.status == "draft":
        return  # a draft is not listed

    def purge():
        purge_pages_from_cache(list(HomePage.objects.all()))

    now_and_on_commit(purge)

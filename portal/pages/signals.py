"""Keep caches honest and the audit log complete when pages or the projects they show change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from marketplace.needs.models import Need
from marketplace.projects.models import Project
from portal.audit.services import record_action
from portal.pages.cache import language_roots, purge_path
from portal.pages.stats import forget_home_counters

# Wagtail's page actions that belong in the portal's own audit log (who published what).
AUDITED_ACTIONS = {
    "wagtail.publish": "page.publish",
    "wagtail.publish.scheduled": "page.schedule",
    "wagtail.unpublish": "page.unpublish",
    "wagtail.unpublish.scheduled": "page.expire",
    "wagtail.workflow.start": "page.submit",
    "wagtail.workflow.approve": "page.approve",
    "wagtail.workflow.reject": "page.reject",
    "wagtail.delete": "page.delete",
}


def listing_urls():
    """Pages outside the tree that list pages: feeds and the sitemap."""
    from django.urls import reverse

    return [
        reverse(name) for name in ("feeds:notices_rss", "feeds:notices_atom", "feeds:books_rss", "feeds:books_atom")
    ] + ["/sitemap.xml"]


def purge_page_and_listings(page):
    """A page's own URLs, every page above it that lists it (index, home), and the feeds."""
    pages = [page, *Page.objects.ancestor_of(page).filter(depth__gt=1).specific()]
    purge_pages_from_cache(pages)
    purge_urls_from_cache(listing_urls())


def now_and_on_commit(purge):
    """Purge at once, and again once the change is committed, so a view rendered in between is not kept."""
    purge()
    transaction.on_commit(purge)


@receiver(page_published)
@receiver(page_unpublished)
def purge_on_publish(sender, instance, **kwargs):
    now_and_on_commit(lambda: purge_page_and_listings(instance))


@receiver(post_delete, sender=Page)
def purge_on_delete(sender, instance, **kwargs):
    now_and_on_commit(lambda: purge_urls_from_cache(listing_urls()))


@receiver(post_page_move)
def purge_on_move(sender, instance, parent_page_before, url_path_before, url_path_after, **kwargs):
    """A moved (or reordered) page leaves one list and menu for another, maybe under a new address."""

    def purge():
        purge_page_and_listings(instance)  # its new address and every page above it now
        purge_page_and_listings(parent_page_before.specific)  # the list it left, and every page above that
        if url_path_before != url_path_after:
            # Its old address, and those of the pages below it, answer something else now.
            moved = instance.get_descendants(inclusive=True).only("url_path", "locale_id")
            old = [
                Page(url_path=url_path_before + p.url_path[len(url_path_after) :], locale_id=p.locale_id) for p in moved
            ]
            purge_pages_from_cache(old)

    now_and_on_commit(purge)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def purge_on_view_restriction(sender, instance, **kwargs):
    """Which pages are private is kept per page (PortalPageMixin.get_view_restrictions): start again,
    and drop the anonymous copies of the page and of every page below it."""

    def purge():
        for root in language_roots():
            purge_path(root)
        page = Page.objects.filter(pk=instance.page_id).first()
        if page is not None:
            purge_pages_from_cache(list(page.get_descendants(inclusive=True).specific()))

    now_and_on_commit(purge)


@receiver(post_save, sender=Project)
def purge_pages_showing_project(sender, instance, **kwargs):
    """Books show their projects' live funding, the home page the district's totals."""

    def purge():
        from .models import HomePage, ProjectBookPage

        forget_home_counters()
        books = list(ProjectBookPage.objects.filter(entries__project=instance).distinct())
        homes = list(HomePage.objects.all())
        purge_pages_from_cache(books + homes)

    now_and_on_commit(purge)


@receiver(post_save, sender=Need)
def purge_books_counting_need(sender, instance, **kwargs):
    """A book shows how many needs were merged into each of its projects (merging saves the need, not the project)."""
    if instance.project_id is None:
        return

    def purge():
        from .models import ProjectBookPage

        purge_pages_from_cache(list(ProjectBookPage.objects.filter(entries__project_id=instance.project_id).distinct()))

    transaction.on_commit(purge)


@receiver(post_save, sender=PageLogEntry)
def audit_page_action(sender, instance, created, **kwargs):
    action = AUDITED_ACTIONS.get(instance.action)
    if not created or action is None:
        return
    page = Page.objects.filter(pk=instance.page_id).first()  # gone already after a delete
    record_action(by=instance.user, action=action, target=page, note=instance.label or "")

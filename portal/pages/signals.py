"""Keep caches honest and the audit log complete when pages or the projects they show change.

CMS changes arrive as Wagtail's and Django's signals; changes to the marketplace data the pages
show arrive as domain events (`portal.core.events`: `money.moved`, `status.moved`,
`project.changed`), delivered after the commit, so that a total the ledger writes with `.update()`
purges the pages too. No marketplace model is imported here.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache, purge_urls_from_cache
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.audit.services import record_action
from portal.core import events
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
    # For whoever else shows pages (search, feeds elsewhere): `live` says published or unpublished.
    events.emit("page.published", instance, live=kwargs.get("signal") is page_published)


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


# --- marketplace changes, heard as events (portal.core.events) once committed -----------------
#
# The page cache keeps CMS pages only (Wagtail's serve view: portal/pages/cache.py). Those that show
# a project's total or status are its books (each entry's funding, status and merged needs), every
# language's home page (the district's counters, and the "lists" fragment) and, through a book's
# "what changed since the previous edition", the later editions beside a book listing it. Every
# fragment depends on the home pages' versions, so purging them renews the fragments too. The
# project's own page and the project list are Django views the page cache does not keep; their
# addresses are purged all the same, for any front-end cache configured in WAGTAILFRONTENDCACHE.


def project_urls(project_ids):
    from django.urls import reverse

    return [reverse("projects:project_list")] + [
        reverse("projects:project_detail", args=[pk]) for pk in sorted(project_ids)
    ]


def books_listing(project_ids, *, with_later_editions=False):
    """Book pages (every language) listing any of the projects, and, if asked, the later editions beside them."""
    from .models import ProjectBookPage

    books = list(ProjectBookPage.objects.filter(entries__project_id__in=project_ids).distinct())
    if with_later_editions:
        seen = {book.pk for book in books}
        for book in list(books):
            for later in (
                ProjectBookPage.objects.sibling_of(book, inclusive=False)
                .filter(locale_id=book.locale_id, edition_date__gte=book.edition_date)
                .exclude(pk__in=seen)
            ):
                seen.add(later.pk)
                books.append(later)
    return books


def purge_pages_showing_projects(project_ids, *, status_changed=False):
    """Forget the home counters, and purge the books listing the projects, the home pages and the projects' pages."""
    from .models import HomePage

    project_ids = {pk for pk in project_ids if pk is not None}
    if not project_ids:
        return
    forget_home_counters()
    pages = books_listing(project_ids, with_later_editions=status_changed) + list(HomePage.objects.all())
    purge_pages_from_cache(pages)
    purge_urls_from_cache(project_urls(project_ids))


PROJECT = "projects.project"
NEED = "needs.need"
MERGED = "merged"  # a need's status once merged into a project (marketplace.needs.models.NeedStatus.MERGED)


def on_money_moved(event):
    """A ledger entry changed a project's total (written with `.update()`: no post_save)."""
    if event.label == PROJECT:
        purge_pages_showing_projects([event.pk])


def on_project_changed(event):
    """A project was edited through its service (title, summary, money asked for...)."""
    if event.label == PROJECT:
        purge_pages_showing_projects([event.pk], status_changed=True)


def on_status_moved(event):
    """A project changed status; or a need was merged into a project (books count each project's needs)."""
    if event.label == PROJECT:
        purge_pages_showing_projects([event.pk], status_changed=True)
    elif event.label == NEED and event.data.get("to_status") == MERGED:
        from django.apps import apps

        project_id = apps.get_model("needs", "Need").objects.filter(pk=event.pk).values_list("project_id", flat=True)
        purge_pages_from_cache(books_listing(list(project_id)))


def subscribe_to_events():
    """Called from PagesConfig.ready (idempotent)."""
    events.subscribe("money.moved", on_money_moved)
    events.subscribe("project.changed", on_project_changed)
    events.subscribe("status.moved", on_status_moved)


@receiver(post_save, sender=PageLogEntry)
def audit_page_action(sender, instance, created, **kwargs):
    action = AUDITED_ACTIONS.get(instance.action)
    if not created or action is None:
        return
    page = Page.objects.filter(pk=instance.page_id).first()  # gone already after a delete
    record_action(by=instance.user, action=action, target=page, note=instance.label or "")

"""RSS and Atom feeds of notices and project books (the Chinese originals; /en/ pages carry their own links)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .models import NoticePage, ProjectBookPage
from .models.base import not_expired


def _default_locale_pages(model):
    return model.objects.live().public().filter(locale=Locale.get_default())


class PageFeed(Feed):
    """What every feed of CMS pages shares: link, summary and dates come from the page."""

    def link(self):
        return "/"

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.get_summary()

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class NoticeFeed(PageFeed):
    title = _("Gongzhi notices")
    description = _("Notices and announcements of the district, latest first.")

    def items(self):
        return not_expired(_default_locale_pages(NoticePage)).order_by("-first_published_at")[:50]

    def item_author_name(self, item):
        return item.issuing_body

    def item_categories(self, item):
        return [item.get_category_display()]


class NoticeAtomFeed(NoticeFeed):
    feed_type = Atom1Feed
    subtitle = NoticeFeed.description


class ProjectBookFeed(PageFeed):
    title = _("Gongzhi project books")
    description = _("Each new edition of the district's project book.")

    def items(self):
        return _default_locale_pages(ProjectBookPage).order_by("-edition_date", "-pk")[:50]


class ProjectBookAtomFeed(ProjectBookFeed):
    feed_type = Atom1Feed
    subtitle = ProjectBookFeed.description

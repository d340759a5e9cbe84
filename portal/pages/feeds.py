"""RSS and Atom feeds of notices and project books (the Chinese originals; /en/ pages carry their own links)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .models import NoticePage, ProjectBookPage
from .models.base import not_expired


def _default_locale_pages(model):
    return model.objects.live().public().filter(locale=Locale.get_default())


class NoticeFeed(Feed):
    title = _("Gongzhi notices")
    description = _("Notices and announcements of the district, latest first.")

    def link(self):
        return "/"

    def items(self):
        return not_expired(_default_locale_pages(NoticePage)).order_by("-first_published_at")[:50]

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

    def item_author_name(self, item):
        return item.issuing_body

    def item_categories(self, item):
        return [item.get_category_display()]


class NoticeAtomFeed(NoticeFeed):
    feed_type = Atom1Feed
    subtitle = NoticeFeed.description


class ProjectBookFeed(Feed):
    title = _("Gongzhi project books")
    description = _("Each new edition of the district's project book.")

    def link(self):
        return "/"

    def items(self):
        return _default_locale_pages(ProjectBookPage).order_by("-edition_date", "-pk")[:50]

    def item_title(self, item):
        return f"{item.title} · {item.edition}"

    def item_description(self, item):
        return item.get_summary()

    def item_link(self, item):
        return item.get_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class ProjectBookAtomFeed(ProjectBookFeed):
    feed_type = Atom1Feed
    subtitle = ProjectBookFeed.description

"""The site's areas as residents think of them, and the account menu of what is theirs.

The platform names the areas and draws the header; every app adds its own pages from its
AppConfig.ready (`area_link`, `account_link`), so the header never imports a feature. CMS pages
shown in menus join an area by their page type (portal.pages registers them with `cms_area`).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

# (key, label): the order is the header's, left to right.
AREAS = [
    ("needs", pgettext_lazy("site area", "Needs")),
    ("projects", pgettext_lazy("site area", "Projects")),
    ("decide", pgettext_lazy("site area", "Decide together")),
    ("news", pgettext_lazy("site area", "News")),
]
AREA_KEYS = {key for key, _label in AREAS}


@dataclass(frozen=True)
class Link:
    label: object
    url_name: str
    order: int = 50
    # (user) -> bool; None: everyone who can see the menu it is in.
    when: object = None

    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def shown_to(self, user):
        return self.when is None or bool(self.when(user))


_area_links = {key: [] for key in AREA_KEYS}
_account_links = []
# CMS page model label ("pages.noticeindexpage") -> area key
_cms_areas = {}


def area_link(area, label, url_name, *, order=50, when=None):
    """Add a page to one of the header's areas (idempotent: apps may be readied twice in tests)."""
    if area not in AREA_KEYS:
        raise ValueError(f"unknown area {area!r}: one of {sorted(AREA_KEYS)}")
    link = Link(label, url_name, order, when)
    if all(existing.url_name != url_name for existing in _area_links[area]):
        _area_links[area].append(link)


def account_link(label, url_name, *, order=50, when=None):
    """Add a page to the account menu: something that is the signed-in person's own."""
    if all(existing.url_name != url_name for existing in _account_links):
        _account_links.append(Link(label, url_name, order, when))


def cms_area(model_label, area):
    """CMS pages of this type, when shown in menus, are listed under `area`."""
    if area not in AREA_KEYS:
        raise ValueError(f"unknown area {area!r}")
    _cms_areas[model_label.lower()] = area


def cms_area_of(model_label):
    return _cms_areas.get(model_label.lower())


def _entries(links, user):
    shown = []
    for link in sorted(links, key=lambda link: link.order):
        url = link.url()
        if url and link.shown_to(user):
            shown.append({"label": link.label, "url": url})
    return shown


def areas(user, cms_items=()):
    """The header's areas for this user: [{key, label, links: [{label, url}]}], empty areas left out.

    `cms_items` are the CMS menu's pages ({"title", "url", "area", "order"}), placed by their area.
    """
    result = []
    for key, label in AREAS:
        links = [
            {"label": item["title"], "url": item["url"], "order": item.get("order", 10)}
            for item in cms_items
            if item.get("area") == key
        ]
        links += [
            {"label": link.label, "url": url, "order": link.order}
            for link in _area_links[key]
            if (url := link.url()) and link.shown_to(user)
        ]
        links.sort(key=lambda entry: entry["order"])
        if links:
            result.append({"key": key, "label": label, "links": links})
    return result


def account_links(user):
    return _entries(_account_links, user) if getattr(user, "is_authenticated", False) else []

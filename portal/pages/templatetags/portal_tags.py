"""Navigation, breadcrumbs and language alternates for CMS and non-CMS pages alike, and page fragments."""

import hashlib

from django import template
from django.contrib.contenttypes.models import ContentType
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page

from portal.core import navigation

from ..cache import cached_content, content_paths, fragment_cacheable

register = template.Library()


def _home_for_active_language():
    from ..models import HomePage

    locale = Locale.objects.filter(language_code=translation.get_language()).first()
    home = HomePage.objects.filter(locale=locale).first() if locale else None
    return home or HomePage.objects.filter(locale__language_code="zh-hans").first()


def _menu(request):
    home = _home_for_active_language()
    items = (
        list(home.get_children().live().in_menu().only("id", "title", "url_path", "locale_id", "content_type_id"))
        if home
        else []
    )

    def link(page, order=10):
        content_type = ContentType.objects.get_for_id(page.content_type_id)
        return {
            "title": page.title,
            "url": page.get_url(request=request),
            "area": navigation.cms_area_of(f"{content_type.app_label}.{content_type.model}"),
            "order": order,
        }

    links = [link(item, order) for order, item in enumerate(items)]
    # Pages that belong to an area are listed in the header under it; the rest (about, questions) in the footer.
    return {
        "home": link(home) if home else None,
        "items": links,
        "in_areas": [item for item in links if item["area"]],
        "footer": [item for item in links if not item["area"]],
    }


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page and its sections shown in menus, in the active language: `menu.home.url`, `menu.items`.

    Kept in the cache until a page is published, unpublished, moved or deleted (portal/pages/cache.py).
    """
    request = context.get("request")
    if request is not None and hasattr(request, "_main_menu"):
        return request._main_menu
    if fragment_cacheable(request):
        key = ("menu", translation.get_language(), request.get_host())
        menu = cached_content(key, content_paths(), lambda: _menu(request), request=request)
    else:
        menu = _menu(request)
    if request is not None:
        request._main_menu = menu
    return menu


@register.simple_tag(takes_context=True)
def site_areas(context):
    """The header's areas for the reader: CMS sections and the apps' registered pages, grouped."""
    menu = main_menu(context)
    return navigation.areas(context.get("user"), menu["in_areas"])


@register.simple_tag(takes_context=True)
def my_links(context):
    """The account menu: what is the signed-in reader's own."""
    return navigation.account_links(context.get("user"))


@register.simple_tag
def breadcrumbs(page):
    """The page's ancestors below the tree root, home first."""
    return list(Page.objects.ancestor_of(page).filter(depth__gt=1).only("id", "title", "url_path", "locale_id"))


@register.simple_tag
def page_translations(page):
    """Live translations of a page (itself included), for hreflang links and the language switcher."""
    return list(page.get_translations(inclusive=True).live().select_related("locale"))


class PageFragmentNode(template.Node):
    def __init__(self, nodelist, name, vary_on, seconds, source):
        self.nodelist, self.name, self.vary_on, self.seconds = nodelist, name, vary_on, seconds
        self.source = source  # a digest of the template: an edited template does not find its old fragments

    def render(self, context):
        request = context.get("request")
        if not fragment_cacheable(request):
            return self.nodelist.render(context)
        page = context.get("page")
        key = (
            "fragment",
            self.name,
            self.source,
            getattr(page, "pk", None),
            translation.get_language(),
            *(str(v.resolve(context)) for v in self.vary_on),
        )
        timeout = None
        if self.seconds is not None:

            def timeout(_html):  # resolved after rendering: it may look at what the fragment listed
                return self.seconds.resolve(context)

        return mark_safe(
            cached_content(
                key,
                content_paths(request.path, request),
                lambda: self.nodelist.render(context),
                timeout,
                request=request,
            )
        )


@register.tag
def pagefragment(parser, token):
    """`{% pagefragment "name" [vary …] [seconds=expr] %}…{% endpagefragment %}`: the rendered block, cached.

    For what a page shows everyone alike: nothing inside may depend on the visitor (their
    account, cookies, the query string beyond what `vary` names). Kept per page, language and
    `vary` values until a page is published, unpublished, moved or deleted above, at or below
    this page (portal/pages/cache.py), and at most PAGE_CACHE_SECONDS, or `seconds` (resolved
    after rendering the block, so it may depend on what was listed) if less. Previews bypass it.
    """
    nodelist = parser.parse(("endpagefragment",))
    parser.delete_first_token()
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'":
        raise template.TemplateSyntaxError("pagefragment needs a quoted name first")
    seconds = None
    if bits[-1].startswith("seconds="):
        seconds = parser.compile_filter(bits.pop()[len("seconds=") :])
    return PageFragmentNode(
        nodelist, bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]], seconds, _source_digest(parser.origin)
    )


def _source_digest(origin):
    try:
        source = origin.loader.get_contents(origin)
    except Exception:  # a template made from a string: no file to tell its version by
        return ""
    return hashlib.sha1(source.encode()).hexdigest()[:12]

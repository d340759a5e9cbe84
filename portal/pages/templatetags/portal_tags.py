"""Navigation, breadcrumbs and language alternates for CMS and non-CMS pages alike."""

from django import template
from django.utils import translation
from wagtail.models import Locale, Page

register = template.Library()


def _home_for_active_language():
    from ..models import HomePage

    locale = Locale.objects.filter(language_code=translation.get_language()).first()
    home = HomePage.objects.filter(locale=locale).first() if locale else None
    return home or HomePage.objects.filter(locale__language_code="zh-hans").first()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The home page and its sections shown in menus, in the active language (two queries)."""
    request = context.get("request")
    if request is not None and hasattr(request, "_main_menu"):
        return request._main_menu
    home = _home_for_active_language()
    items = list(home.get_children().live().in_menu().only("id", "title", "url_path", "locale_id")) if home else []
    menu = {"home": home, "items": items}
    if request is not None:
        request._main_menu = menu
    return menu


@register.simple_tag
def breadcrumbs(page):
    """The page's ancestors below the tree root, home first."""
    return list(Page.objects.ancestor_of(page).filter(depth__gt=1).only("id", "title", "url_path", "locale_id"))


@register.simple_tag
def page_translations(page):
    """Live translations of a page (itself included), for hreflang links and the language switcher."""
    return list(page.get_translations(inclusive=True).live().select_related("locale"))

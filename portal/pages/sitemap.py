"""sitemap.xml: every live, public page in every language, with hreflang alternates.

Wagtail's own sitemap only walks the default site's root (the Chinese tree).
English aliases — untranslated pages that show the Chinese text — are left out:
search engines should find that text once, at its Chinese address.
"""

from django.urls import path as url_path
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.models import Page


class PortalSitemap(Sitemap):
    i18n = False  # page URLs already carry their language

    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        descendants = Page.objects.none()
        for root in roots:
            descendants |= Page.objects.descendant_of(root, inclusive=True)
        return (
            descendants.live().public().filter(alias_of__isnull=True).order_by("path").defer_streamfields().specific()
        )


def sitemap_view(request):
    return sitemap(request, sitemaps={"pages": PortalSitemap(request)})


urlpatterns = [url_path("sitemap.xml", sitemap_view, name="sitemap")]

"""The portal's URLs plus a baseline view that does nothing but return a response."""

from django.http import HttpResponse
from django.urls import path

from portal import urls as portal_urls


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


# The portal's patterns are spliced in rather than include()d: they end with i18n_patterns
# (the CMS pages' /en/ prefix), which Django allows only in the root URLconf.
urlpatterns = [
    path("bench/minimal", minimal, name="bench-minimal"),
    *portal_urls.urlpatterns,
]

# The portal's error pages, which a ROOT_URLCONF of our own would otherwise lose.
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500

from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "large_text": large_text_chosen(request),
    }


# The large-text switch in the header (portal.core.views.text_size) keeps the choice in this cookie;
# the anonymous page cache keys its pages by it (portal/pages/cache.py).
TEXT_SIZE_COOKIE = "textsize"
LARGE = "large"


def large_text_chosen(request):
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == LARGE

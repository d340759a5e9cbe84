"""What every portal page shares: a summary for lists, Open Graph and feeds."""

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator


def live_pages(model, locale=None):
    """Published, public pages of one type (in one language if given), which anonymous visitors may see."""
    pages = model.objects.live().public()
    return pages.filter(locale=locale) if locale is not None else pages


def not_expired(queryset):
    from django.db.models import Q

    return queryset.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))


class PortalPageMixin:
    """Summary text used by lists, feeds, search results and Open Graph tags."""

    summary_field = "intro"

    def get_summary(self):
        text = self.search_description or getattr(self, self.summary_field, "") or ""
        return Truncator(strip_tags(str(text))).chars(160)

    def get_og_image(self):
        return None

    def is_expired(self):
        return bool(self.expire_at and self.expire_at <= timezone.now())

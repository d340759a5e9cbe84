"""What every portal page shares: a summary for lists, Open Graph and feeds."""

from functools import lru_cache

from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator


def live_pages(model, locale=None):
    """Published, public pages of one type (in one language if given), which anonymous visitors may see."""
    pages = model.objects.live().public()
    return pages.filter(locale=locale) if locale is not None else pages


def not_expired(queryset):
    from django.db.models import Q

    return queryset.filter(Q(expire_at__isnull=True) | Q(expire_at__gt=timezone.now()))


def lazy_list(build):
    """`build()`'s rows, fetched when a template first reads them.

    Pages cache the fragments that list rows (`{% pagefragment %}`); while a fragment is
    cached its rows are never read, so not even the query is built (a `public()` page
    query costs a query for the view restrictions as soon as it is built).
    """
    from django.utils.functional import SimpleLazyObject

    return SimpleLazyObject(lambda: list(build()))


def seconds_until(moments, now=None):
    """Seconds until the earliest of `moments` (None when there is none): how long a list stays as it is."""
    moments = [m for m in moments if m is not None]
    if not moments:
        return None
    return max(0, int((min(moments) - (now or timezone.now())).total_seconds()))


@lru_cache(maxsize=2048)
def _summary(text, language):
    """The first 160 characters of `text` without its markup (the ellipsis is the language's): every page's <meta>."""
    return Truncator(strip_tags(text)).chars(160)


class PortalPageMixin:
    """Summary text used by lists, feeds, search results and Open Graph tags."""

    summary_field = "intro"

    def get_summary(self):
        text = self.search_description or getattr(self, self.summary_field, "") or ""
        return _summary(str(text), translation.get_language())

    def get_og_image(self):
        return None

    def is_expired(self):
        return bool(self.expire_at and self.expire_at <= timezone.now())

    def get_view_restrictions(self):
        """Wagtail's view restrictions of this page and those above it, with "none" remembered.

        Wagtail asks on every request (two queries); nearly every portal page has none. Which
        restrictions apply is kept in the cache until a restriction is saved or deleted or a
        page is moved, published or unpublished (each purges every language's home,
        portal.pages.signals); when there are any, they are read from the database as before.
        """
        from wagtail.models import PageViewRestriction

        from ..cache import cached_content, content_paths, fragment_cacheable, language_roots, path_versions

        request = getattr(self, "_serving_request", None)
        if request is None or not fragment_cacheable(request):
            return super().get_view_restrictions()
        path_versions(content_paths(request.path, request), request)  # the page's fragments' too, in one round trip
        ids = cached_content(
            ("view-restrictions", self.pk),
            language_roots(),
            lambda: list(super(PortalPageMixin, self).get_view_restrictions().values_list("pk", flat=True)),
            request=request,
        )
        return super().get_view_restrictions() if ids else PageViewRestriction.objects.none()


# (parent id, slug) -> (child id, content type id), per process: which page a path step led to.
# Only a hint: the page it names is read and checked on every use (its `url_path`, Wagtail's
# record of the slugs above it, must be the one asked for), so a page renamed, moved, replaced
# or deleted since simply falls back to the lookup Wagtail does.
_CHILD_ROUTES = {}
_CHILD_ROUTES_MAX = 10_000


def forget_child_routes():
    _CHILD_ROUTES.clear()


@lru_cache(maxsize=1024)
def _routes_to_children(model, remaining):
    """Whether `model.route(request, remaining)` can only go on to a child: it has no route of its own for it.

    A property of the page's class (its routes), not of a page: kept for the process.
    """
    from django.urls import Resolver404
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    if model.route is ChildRouteMixin.route:
        return True
    mro = model.__mro__
    if (
        model.route is RoutablePageMixin.route
        and ChildRouteMixin in mro
        and mro.index(ChildRouteMixin) > mro.index(RoutablePageMixin)
    ):
        try:
            model.get_resolver().resolve("/" + "".join(f"{part}/" for part in remaining))
        except Resolver404:
            return True
    return False


class ChildRouteMixin:
    """Wagtail's way down to a page (`Page.route`), in one query a step or fewer instead of two.

    Wagtail finds each child by slug, then loads its own fields in a second query
    (`.specific`). Once a path has led somewhere, this reads the page it led to from its own
    model at once, and checks it is still the page at that path (its `url_path`); when the
    page on the way has no route of its own for the rest of the path (it can only hand it on
    to its child), it is not read at all and the step after it is taken at once. Anything
    else takes Wagtail's way. Placed just before `Page` in the bases, after
    `RoutablePageMixin`, whose own routes keep coming first.
    """

    def route(self, request, path_components):
        from django.http import Http404
        from wagtail.models import Page

        if not path_components:
            self._serving_request = request  # PortalPageMixin.get_view_restrictions
            return super().route(request, path_components)
        slug, remaining = path_components[0], path_components[1:]
        grandchild = self._remembered_grandchild(slug, remaining)
        if grandchild is not None:
            grandchild._serving_request = request
            return grandchild.route(request, remaining[1:])
        child = self._remembered(self.pk, slug, self.url_path, self.depth + 1)
        if child is None:
            try:
                child = self.get_children().get(slug=slug).specific
            except Page.DoesNotExist as e:
                raise Http404 from e
            if len(_CHILD_ROUTES) >= _CHILD_ROUTES_MAX:
                _CHILD_ROUTES.clear()
            _CHILD_ROUTES[(self.pk, slug)] = (child.pk, child.content_type_id)
        child._cached_parent_obj = self
        child._serving_request = request  # PortalPageMixin.get_view_restrictions
        return child.route(request, remaining)

    def _remembered_grandchild(self, slug, remaining):
        from django.contrib.contenttypes.models import ContentType

        hint = _CHILD_ROUTES.get((self.pk, slug))
        if not remaining or hint is None or (hint[0], remaining[0]) not in _CHILD_ROUTES:
            return None
        model = ContentType.objects.get_for_id(hint[1]).model_class()
        if model is None or not _routes_to_children(model, tuple(remaining)):
            return None
        return self._remembered(hint[0], remaining[0], f"{self.url_path}{slug}/", self.depth + 2)

    def _remembered(self, parent_pk, slug, parent_url_path, depth):
        """The page `slug` under the page `parent_pk` led to before, if it is still there."""
        from django.contrib.contenttypes.models import ContentType

        hint = _CHILD_ROUTES.get((parent_pk, slug))
        if hint is None:
            return None
        model = ContentType.objects.get_for_id(hint[1]).model_class()
        try:
            page = model.objects.get(pk=hint[0]) if model is not None else None
        except model.DoesNotExist:
            page = None
        if (
            page is None
            or page.content_type_id != hint[1]
            or page.url_path != f"{parent_url_path}{slug}/"
            or page.depth != depth
            or not page.path.startswith(self.path)
        ):
            _CHILD_ROUTES.pop((parent_pk, slug), None)
            return None
        return page

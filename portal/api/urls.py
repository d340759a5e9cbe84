from django.urls import include, path
from rest_framework.routers import DefaultRouter

from portal.accounts.api import MeView
from portal.api import routes
from portal.api.auth import ObtainTokenView
from portal.core.converters import IdConverter
from portal.regions.api import RegionViewSet
from search.api import SearchView


class Router(DefaultRouter):
    """Detail routes take database ids only (1–18 digits): anything else is a 404, never a query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = IdConverter.regex


router = Router()
router.register("regions", RegionViewSet, basename="region")
# Every other app registers its viewsets from its own api.py (portal.api.routes).
for prefix, viewset, basename in routes.discover():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api_token"),
    path("search/", SearchView.as_view(), name="search"),
    path("", include(router.urls)),
]

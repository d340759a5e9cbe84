"""The API's router routes, contributed by the apps that own them.

`portal.api` names no feature: each app's `api.py` ends with `routes.register(prefix, ViewSet,
basename=…)`, and `portal.api.urls` imports the `api` module of every project app (by name, in
INSTALLED_APPS order) before it builds the router. Accounts and regions sit below the API layer
(its authentication reads roles), so `portal.api.urls` names their views itself.
"""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

PROJECT_PACKAGES = ("portal", "marketplace", "deliberation", "search")

_routes = {}  # prefix -> (viewset, basename)


def register(prefix, viewset, *, basename):
    _routes[prefix] = (viewset, basename)


def discover():
    """Import every project app's `api` module (each registers its routes) and return the routes."""
    for config in apps.get_app_configs():
        if config.name.partition(".")[0] in PROJECT_PACKAGES and module_has_submodule(config.module, "api"):
            import_module(f"{config.name}.api")
    return [(prefix, viewset, basename) for prefix, (viewset, basename) in _routes.items()]

from django.db import connection

from .base import SearchBackend


class DatabaseBackend(SearchBackend):
    """The embedded default: queries the application's own database."""

    name = "database"

    def ping(self):
        return connection.is_usable() if connection.connection else True

"""The search layer picks its backend from settings: Elasticsearch when ELASTICSEARCH_URL is set."""

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def _backend_for(url):
    if url:
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend(url)
    from .database import DatabaseBackend

    return DatabaseBackend()


def get_backend():
    return _backend_for(settings.ELASTICSEARCH_URL)

from .base import SearchBackend


class ElasticsearchBackend(SearchBackend):
    """Elasticsearch through the client's DSL (`elasticsearch.dsl`)."""

    name = "elasticsearch"

    def __init__(self, url):
        self.url = url
        self._client = None

    @property
    def client(self):
        if self._client is None:
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(self.url, request_timeout=3)
        return self._client

    def ping(self):
        return bool(self.client.ping())

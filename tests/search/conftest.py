import pytest

from tests.search.fake_elasticsearch import FakeElasticsearch


@pytest.fixture
def fake_es(settings, monkeypatch):
    """The search layer on Elasticsearch (ELASTICSEARCH_URL set), answered by a fake node: every request is
    recorded in `fake_es.requests`, and indices, aliases and documents are kept as the server would."""
    from search.backends import _backend_for
    from search.backends.elastic import ElasticsearchBackend

    server = FakeElasticsearch()
    monkeypatch.setattr(ElasticsearchBackend, "client_options", {"node_class": server.node_class()})
    settings.ELASTICSEARCH_URL = "http://search.test:9200"
    _backend_for.cache_clear()
    yield server
    _backend_for.cache_clear()

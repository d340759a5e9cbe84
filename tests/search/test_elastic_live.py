"""The Elasticsearch backend against a real server: runs when ELASTICSEARCH_URL is set (with the
analysis-smartcn plugin, or ik with ELASTICSEARCH_ANALYZER=ik), reported as skipped otherwise. It works
in indices and a synonyms set of its own prefix, and deletes them at the end."""

import os

import pytest

from search.backends.base import Query
from search.backends.elastic import ElasticsearchBackend
from search.backends.elastic_documents import alias_name, synonyms_set_name
from search.models import SynonymGroup
from search.registry import Document

URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not URL, reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test against"),
]


@pytest.fixture
def live(settings):
    settings.ELASTICSEARCH_INDEX_PREFIX = f"gongzhi-test-{os.getpid()}"
    backend = ElasticsearchBackend(URL)
    yield backend
    # By name: Elasticsearch refuses to delete by a wildcard (action.destructive_requires_name).
    names = list(backend.client.indices.get(index=f"{settings.ELASTICSEARCH_INDEX_PREFIX}-*"))
    if names:
        backend.client.indices.delete(index=",".join(names))
    backend.client.options(ignore_status=404).synonyms.delete_synonym(id=synonyms_set_name())


def refresh(backend, *types):
    backend.client.indices.refresh(index=",".join(alias_name(t) for t in types))


def test_a_real_server_finds_words_counts_facets_and_similar_records(live):
    SynonymGroup.objects.create(words="elevator, lift")
    assert live.ping()
    live.write(
        "project",
        1,
        Document(title="社区养老服务中心", url="/p/1/", summary="为老人提供日间照料", status="published", gap=100),
    )
    live.write("project", 2, Document(title="楼道维修", url="/p/2/", summary="更换老化的楼道灯", status="funded"))
    live.write("need", 3, Document(title="养老助餐点不够", url="/n/3/", status="accepted"))
    live.write("need", 4, Document(title="电梯维修", title_en="Lift repair", url="/n/4/", status="accepted"))
    refresh(live, "project", "need")

    found = live.search(Query(text="养老"))
    assert not found.failed
    assert {(h.doc_type, h.object_id) for h in found.hits} >= {("project", 1), ("need", 3)}
    assert ("project", 2) not in {(h.doc_type, h.object_id) for h in found.hits}
    assert found.facets["type"]["project"] == 1 and found.facets["wanted"] == {"yes": 1}
    synonym = live.search(Query(text="elevator"))  # the editors' synonym of "lift"
    assert [(h.doc_type, h.object_id) for h in synonym.hits] == [("need", 4)]

    narrowed = live.search(Query(text="养老", doc_type="project", status="published"))
    assert [h.object_id for h in narrowed.hits] == [1] and narrowed.facets["status"] == {"published": 1}
    assert narrowed.facets["type"]["need"] >= 1  # the type counts ignore the chosen type

    alike = live.similar("need", 3, types=("need", "project"))
    assert ("need", 3) not in {(h.doc_type, h.object_id) for h in alike}
    assert ("project", 1) in {(h.doc_type, h.object_id) for h in alike}  # shares 养老


def test_a_real_rebuild_moves_the_alias_to_a_new_index(live):
    live.write("project", 1, Document(title="旧的项目", url="/p/1/"))
    token = live.begin_rebuild("project")
    live.write_batch(token, "project", [(1, Document(title="重建的项目", url="/p/1/")), (2, None)])
    live.end_rebuild(token, "project")
    assert list(live.client.indices.get_alias(name=alias_name("project"))) == [token]
    found = live.search(Query(text="重建"))
    assert [h.object_id for h in found.hits] == [1]
    assert live.stored("project")[1]["title"] == "重建的项目"

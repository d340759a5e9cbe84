"""The Elasticsearch backend's indices and request bodies, as the dicts sent: the Chinese analysers with the
editors' synonyms, the mapping, and the query of each kind of `Query` (every filter, order, facet and the
highlighter); a public query never reaches a staff index, a staff query carries its regions."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from search import registry
from search.backends.base import STAFF, Query
from search.backends.elastic_documents import index_for
from search.backends.elastic_queries import search_request, similar_request
from search.registry import SearchType

CHINESE = {"type": "text", "analyzer": "zh_index", "search_analyzer": "zh_search"}
WORDS = {"type": "text", "analyzer": "whitespace"}
VISIBLE = [
    {"term": {"audience": "public"}},
    {
        "bool": {
            "should": [
                {"bool": {"must_not": [{"exists": {"field": "expires_at"}}]}},
                {"range": {"expires_at": {"gt": "now"}}},
            ],
            "minimum_should_match": 1,
        }
    },
]


def body(query, terms, **options):
    return search_request(query, terms, **options).to_dict()


def test_an_index_has_the_chinese_analysers_with_the_synonyms_set_and_a_strict_mapping():
    index = index_for("gongzhi-project-20260101", "gongzhi-project").to_dict()
    assert index["aliases"] == {"gongzhi-project": {}}
    assert index["settings"] == {
        "number_of_shards": 1,
        "analysis": {
            "analyzer": {
                "zh_index": {
                    "type": "custom",
                    "tokenizer": "smartcn_tokenizer",
                    "filter": ["lowercase", "porter_stem", "smartcn_stop"],
                },
                "zh_search": {
                    "type": "custom",
                    "tokenizer": "smartcn_tokenizer",
                    "filter": ["lowercase", "porter_stem", "smartcn_stop", "zh_synonyms"],
                },
            },
            "filter": {
                "zh_synonyms": {
                    "type": "synonym_graph",
                    "synonyms_set": "gongzhi-synonyms",
                    "updateable": True,
                    "lenient": True,
                }
            },
        },
    }
    assert index["mappings"] == {
        "dynamic": "strict",
        "properties": {
            "doc_type": {"type": "keyword"},
            "object_id": {"type": "long"},
            "title": CHINESE,
            "title_en": CHINESE,
            "summary": CHINESE,
            "text": CHINESE,
            "terms": WORDS,
            "title_terms": WORDS,
            "url": {"type": "keyword", "index": False, "doc_values": False},
            "status": {"type": "keyword"},
            "language": {"type": "keyword"},
            "audience": {"type": "keyword"},
            "region_id": {"type": "long"},
            "region_path": {"type": "keyword"},
            "region_street": {"type": "keyword"},
            "category_id": {"type": "long"},
            "gap": {"type": "long"},
            "dated": {"type": "date"},
            "expires_at": {"type": "date"},
        },
    }


def test_the_ik_plugin_cuts_every_word_when_indexing_and_the_likeliest_when_searching(settings):
    settings.ELASTICSEARCH_ANALYZER = "ik"
    settings.ELASTICSEARCH_INDEX_PREFIX = "site2"
    analysis = index_for("site2-need-1").to_dict()["settings"]["analysis"]
    assert analysis["analyzer"]["zh_index"] == {"type": "custom", "tokenizer": "ik_max_word", "filter": ["lowercase"]}
    assert analysis["analyzer"]["zh_search"] == {
        "type": "custom",
        "tokenizer": "ik_smart",
        "filter": ["lowercase", "zh_synonyms"],
    }
    assert analysis["filter"]["zh_synonyms"]["synonyms_set"] == "site2-synonyms"
    settings.ELASTICSEARCH_ANALYZER = "jieba"
    with pytest.raises(ImproperlyConfigured):
        index_for("site2-need-1")


def test_a_plain_query_asks_every_word_of_the_public_types_only_and_counts_them_per_type():
    sent = search_request(Query(text="社区养老", page_size=20), ["社区", "养老"])
    assert sent._index == [f"gongzhi-{t.name}" for t in registry.types()]
    assert sent._params == {"ignore_unavailable": True}
    found = sent.to_dict()
    query = found["query"]["bool"]
    assert query["filter"] == VISIBLE
    assert query["must"] == [
        {
            "bool": {
                "should": [
                    {"bool": {"filter": [{"term": {"terms": "社区"}}, {"term": {"terms": "养老"}}]}},
                    {
                        "multi_match": {
                            "query": "社区养老",
                            "fields": ["title", "title_en", "summary", "text"],
                            "type": "cross_fields",
                            "operator": "and",
                        }
                    },
                ],
                "minimum_should_match": 1,
            }
        }
    ]
    title_bonus, text_score, *boosts = query["should"]
    assert title_bonus == {
        "constant_score": {
            "filter": {"bool": {"filter": [{"term": {"title_terms": "社区"}}, {"term": {"title_terms": "养老"}}]}},
            "boost": 1000.0,
        }
    }
    assert text_score == {"multi_match": {"query": "社区养老", "fields": ["title^3", "title_en^3", "summary", "text"]}}
    boosted = {t.name: t.boost * 500 for t in registry.types(audience=None) if getattr(t, "boost", 0)}
    assert {b["constant_score"]["filter"]["term"]["doc_type"]: b["constant_score"]["boost"] for b in boosts} == boosted
    assert "post_filter" not in found
    assert found["aggs"] == {
        "type": {"terms": {"field": "doc_type", "size": 50}},
        "narrowed": {
            "filter": {"bool": {}},
            "aggs": {
                "category": {"terms": {"field": "category_id", "size": 500}},
                "region": {"terms": {"field": "region_street", "size": 1000}},
                "year": {
                    "date_histogram": {
                        "field": "dated",
                        "calendar_interval": "year",
                        "format": "yyyy",
                        "min_doc_count": 1,
                        "time_zone": "Asia/Shanghai",
                    }
                },
                "wanted": {"filter": {"range": {"gap": {"gt": 0}}}},
            },
        },
    }
    assert found["sort"] == [
        "_score",
        {"dated": {"order": "desc", "missing": "_last"}},
        {"object_id": {"order": "desc"}},
    ]
    assert (found["from"], found["size"], found["track_total_hits"]) == (0, 20, True)
    assert found["_source"] == {"excludes": ["terms", "title_terms", "text"]}
    assert found["highlight"] == {
        "fields": {"summary": {}},
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "encoder": "html",
        "number_of_fragments": 1,
        "fragment_size": 200,
    }


def test_the_filters_narrow_the_hits_and_the_facets_but_not_the_type_counts():
    query = Query(
        text="养老 园",
        language="en",
        doc_type="project",
        status="published",
        category=3,
        region_path="00010002",
        wanted=True,
        year=2026,
        page=3,
        page_size=20,
    )
    found = body(query, ["养老", "园"])
    chosen = [
        {"term": {"doc_type": "project"}},
        {"term": {"status": "published"}},
        {"term": {"category_id": 3}},
        {"prefix": {"region_path": "00010002"}},
        {"range": {"gap": {"gt": 0}}},
        {"range": {"dated": {"gte": "2026-01-01", "lt": "2027-01-01", "time_zone": "Asia/Shanghai"}}},
    ]
    # The reader's language, the portal's own and none (a page nobody translated is the only one there is).
    assert found["query"]["bool"]["filter"] == [*VISIBLE, {"terms": {"language": ["", "en", "zh-hans"]}}]
    # A one-character word is a prefix, as on the database.
    jieba = found["query"]["bool"]["must"][0]["bool"]["should"][0]
    assert jieba == {"bool": {"filter": [{"term": {"terms": "养老"}}, {"prefix": {"terms": "园"}}]}}
    assert found["post_filter"] == {"bool": {"filter": chosen}}
    assert found["aggs"]["type"] == {"terms": {"field": "doc_type", "size": 50}}  # before the filters
    narrowed = found["aggs"]["narrowed"]
    assert narrowed["filter"] == {"bool": {"filter": chosen}}
    assert narrowed["aggs"]["status"] == {"terms": {"field": "status", "size": 50}}  # a type is chosen
    assert (found["from"], found["size"]) == (40, 20)


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("newest", [{"dated": {"order": "desc", "missing": "_last"}}, {"object_id": {"order": "desc"}}]),
        ("gap", [{"gap": {"order": "desc", "missing": "_last"}}, {"object_id": {"order": "desc"}}]),
    ],
)
def test_the_orders(sort, order):
    assert body(Query(text="养老", sort=sort), ["养老"])["sort"] == order


def test_a_page_past_elasticsearchs_window_asks_for_the_counts_only():
    found = body(Query(text="养老", page=501, page_size=20), ["养老"])
    assert (found["from"], found["size"], found["track_total_hits"]) == (0, 0, True)


def test_matching_any_word_ranks_by_the_words_held():
    found = body(Query(text="养老 电梯"), ["养老", "电梯"], every=False)
    assert found["query"]["bool"]["must"] == [
        {
            "bool": {
                "should": [
                    {"constant_score": {"filter": {"term": {"terms": "养老"}}, "boost": 2000.0}},
                    {"constant_score": {"filter": {"term": {"terms": "电梯"}}, "boost": 2000.0}},
                ],
                "minimum_should_match": 1,
            }
        }
    ]


@pytest.fixture
def staff_type(monkeypatch):
    """A staff type (the need queue's), registered for the test only."""
    queue = SearchType(
        name="queue", label="Queue", model=object, document=lambda r: None, queryset=list, audience=STAFF
    )
    monkeypatch.setitem(registry._types, "queue", queue)
    return queue


def test_a_public_query_never_reaches_a_staff_index_and_a_staff_query_carries_its_regions(staff_type):
    public = search_request(Query(text="养老"), ["养老"])
    assert "gongzhi-queue" not in public._index
    assert public.to_dict()["query"]["bool"]["filter"][0] == {"term": {"audience": "public"}}
    staff = search_request(Query(text="养老", audience=STAFF, within=("0001", "00020003")), ["养老"])
    assert "gongzhi-queue" in staff._index
    assert staff._index == [f"gongzhi-{t.name}" for t in registry.types(audience=STAFF)]
    assert not set(staff._index) & set(public._index)
    assert staff.to_dict()["query"]["bool"]["filter"] == [
        {"term": {"audience": "staff"}},
        VISIBLE[1],
        {
            "bool": {
                "should": [{"prefix": {"region_path": "0001"}}, {"prefix": {"region_path": "00020003"}}],
                "minimum_should_match": 1,
            }
        },
    ]


def test_similar_records_are_more_like_the_records_words_within_the_filters_and_never_itself():
    options = {"text": "", "limit": 5, "region_path": "0001", "category": 4, "audience": "public", "within": ()}
    sent = similar_request(doc_type="need", object_id=7, types=("need", "project"), statuses=("accepted",), **options)
    assert sent._index == ["gongzhi-need", "gongzhi-project"]
    found = sent.to_dict()
    assert found["query"] == {
        "bool": {
            "must": [
                {
                    "more_like_this": {
                        "fields": ["terms"],
                        "like": [{"_index": "gongzhi-need", "_id": "7"}],
                        "min_term_freq": 1,
                        "min_doc_freq": 1,
                        "min_word_length": 2,
                        "max_query_terms": 12,
                        "minimum_should_match": "1",
                        "include": True,
                    }
                }
            ],
            "filter": [
                *VISIBLE,
                {"terms": {"doc_type": ["need", "project"]}},
                {"prefix": {"region_path": "0001"}},
                {"term": {"category_id": 4}},
                {"terms": {"status": ["accepted"]}},
            ],
            "must_not": [{"bool": {"filter": [{"term": {"doc_type": "need"}}, {"term": {"object_id": 7}}]}}],
        }
    }
    assert found["size"] == 5


def test_similar_to_a_text_is_like_its_jieba_words():
    options = {"limit": 3, "region_path": "", "category": None, "statuses": (), "audience": "public", "within": ()}
    found = similar_request(doc_type="need", object_id=None, text="楼道灯坏了", types=(), **options).to_dict()
    more = found["query"]["bool"]["must"][0]["more_like_this"]
    assert more["like"] == "楼道 灯坏 了"  # jieba's words (one-character ones are left out by min_word_length)
    assert "must_not" not in found["query"]["bool"]
    assert similar_request(doc_type="need", object_id=None, text="", types=(), **options) is None

"""What Elasticsearch holds: one index per registered type, reached through an alias, each of `Entry`s.

`{prefix}-{type}` (ELASTICSEARCH_INDEX_PREFIX, "gongzhi" by default) is an alias; the index behind it is
`{prefix}-{type}-{timestamp}`, so a rebuild fills a new index and then moves the alias in one request.

The words are analysed twice. `terms` holds jieba's words (search.segment, the very words the database
backend matches) with a whitespace analyser, so both backends find a record by the same words. The shown
fields go through a Chinese analyser: Lucene's smartcn (the official plugin, analysis-smartcn) by default,
or the ik plugin (ik_max_word when indexing, ik_smart when searching) with ELASTICSEARCH_ANALYZER = "ik".
Their search analyser adds the synonyms editors keep (search.models.SynonymGroup) from a synonyms set
(`{prefix}-synonyms`, Elasticsearch's synonyms API): updating the set reloads the analysers that use it,
so a change applies to the next search without reindexing anything.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from elasticsearch.dsl import Date, Document, Index, Keyword, Long, MetaField, Text, analyzer, token_filter

from ..segment import index_terms
from .fields import STREET_PATH_LENGTH, entry_fields

INDEX_ANALYZER = "zh_index"
SEARCH_ANALYZER = "zh_search"
# Shown fields, analysed in Chinese (also the fields the highlighter marks and more_like_this reads).
TEXT_FIELDS = ("title", "title_en", "summary", "text")
# (tokenizer when indexing, tokenizer when searching, filters before the synonyms)
ANALYZERS = {
    # The official smartcn analyser rebuilt, to add the synonyms to it.
    "smartcn": ("smartcn_tokenizer", "smartcn_tokenizer", ["lowercase", "porter_stem", "smartcn_stop"]),
    # The ik plugin (installed by the operator): every word when indexing, the likeliest cut for a query.
    "ik": ("ik_max_word", "ik_smart", ["lowercase"]),
}


def _chinese():
    return Text(analyzer=INDEX_ANALYZER, search_analyzer=SEARCH_ANALYZER)


class Entry(Document):
    doc_type = Keyword()
    object_id = Long()
    title = _chinese()
    title_en = _chinese()
    summary = _chinese()
    text = _chinese()  # further public words (not shown, not stored by the database backend)
    terms = Text(analyzer="whitespace")
    title_terms = Text(analyzer="whitespace")  # the title's words alone: "the title holds every word"
    url = Keyword(index=False, doc_values=False)
    status = Keyword()
    language = Keyword()
    audience = Keyword()
    region_id = Long()
    region_path = Keyword()  # "within a region" is a prefix query on it
    region_street = Keyword()  # its street's part: the region facet
    category_id = Long()
    gap = Long()
    dated = Date()
    expires_at = Date()

    class Meta:
        dynamic = MetaField("strict")  # a field nobody mapped is refused, never guessed


def prefix():
    return getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", "") or "gongzhi"


def alias_name(doc_type):
    return f"{prefix()}-{doc_type}"


def synonyms_set_name():
    return f"{prefix()}-synonyms"


def analyzers():
    kind = getattr(settings, "ELASTICSEARCH_ANALYZER", "") or "smartcn"
    if kind not in ANALYZERS:
        raise ImproperlyConfigured(f"ELASTICSEARCH_ANALYZER must be one of {sorted(ANALYZERS)}, not {kind!r}.")
    index_tokenizer, search_tokenizer, filters = ANALYZERS[kind]
    # Updateable: a synonyms set's change reloads it; search analysers only (nothing indexed changes).
    # Lenient: a rule the analyser cannot read is skipped, not the whole set refused.
    synonyms = token_filter(
        "zh_synonyms", "synonym_graph", synonyms_set=synonyms_set_name(), updateable=True, lenient=True
    )
    return [
        analyzer(INDEX_ANALYZER, tokenizer=index_tokenizer, filter=filters),
        analyzer(SEARCH_ANALYZER, tokenizer=search_tokenizer, filter=[*filters, synonyms]),
    ]


def index_for(name, alias=None):
    """The dsl `Index` of one concrete index (settings, analysis and mapping), optionally its alias."""
    index = Index(name)
    index.settings(number_of_shards=1)
    index.document(Entry)
    for one in analyzers():
        index.analyzer(one)
    if alias:
        index.aliases(**{alias: {}})
    return index


def source(doc_type, object_id, document, paths=None):
    """The document's body: the fields both backends store (search.backends.fields), and `text`."""
    fields = entry_fields(document, paths)
    entry = Entry(
        doc_type=doc_type,
        object_id=object_id,
        text=document.text or "",
        title_terms=index_terms(document.title, document.title_en),
        region_street=fields["region_path"][:STREET_PATH_LENGTH],
        **fields,
    )
    return entry.to_dict(skip_empty=False)

"""Elasticsearch through its client's DSL (`elasticsearch.dsl`), chosen when ELASTICSEARCH_URL is set.

The same contract as the database backend: documents in (only what search.registry's types return: no
draft, no private field), `Answer`s out. The indices, analysers and mapping are in elastic_documents,
the request bodies and the reading of responses in elastic_queries.

Writes go to a type's alias without waiting for a refresh: Elasticsearch refreshes every second, which
keeps the promise that a record is searchable within a second of its commit. A rebuild fills a new
index, written to alongside the alias meanwhile (the shared cache names it), then moves the alias to it
in one atomic request and deletes the old one: searches never see an empty or half-built index.
Synonyms live in a synonyms set (Elasticsearch 8.10 and later); `update_synonyms` replaces it, which
reloads the search analysers using it.
"""

import logging

from django.core.cache import cache
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, BadRequestError, Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk, scan

from .base import PUBLIC, Answer, SearchBackend
from .elastic_documents import alias_name, index_for, source, synonyms_set_name
from .elastic_queries import aliases, answer_of, hit_of, parse_datetime, search_request, similar_request
from .fields import region_paths

logger = logging.getLogger(__name__)
REBUILD_SECONDS = 24 * 3600  # a rebuild that died is forgotten after a day (its index stays: delete it)
FAILURES = (TransportError, ApiError)  # unreachable, timed out, or refused


def _rebuilding_key(alias):
    return f"search-rebuilding:{alias}"


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"
    # Further arguments of the client (tests give it a node class that answers without a server).
    client_options = {}

    def __init__(self, url):
        self.url = url
        self._client = None
        self._ready = set()  # aliases known to exist (checked once per process)

    @property
    def client(self):
        if self._client is None:
            self._client = Elasticsearch(self.url, request_timeout=3, max_retries=1, **self.client_options)
        return self._client

    def ping(self):
        try:
            return bool(self.client.ping())
        except FAILURES:
            return False

    # Synonyms: the editors' groups (search.models.SynonymGroup) as one synonyms set.
    def update_synonyms(self):
        from ..synonyms import rules

        self.client.synonyms.put_synonym(id=synonyms_set_name(), synonyms_set=rules())

    # Writing.
    def _ensure(self, doc_type):
        """Create the type's first index (and alias) if it has none, before a write could make Elasticsearch
        guess one; a fixed name, so two workers doing it at once create one index."""
        alias = alias_name(doc_type)
        if alias in self._ready:
            return alias
        if not self.client.indices.exists_alias(name=alias):
            self.update_synonyms()
            try:
                index_for(f"{alias}-initial", alias).create(using=self.client)
            except BadRequestError as error:
                if error.message != "resource_already_exists_exception":
                    raise
        self._ready.add(alias)
        return alias

    def _targets(self, doc_type):
        alias = self._ensure(doc_type)
        rebuilding = cache.get(_rebuilding_key(alias))
        return [alias, rebuilding] if rebuilding else [alias]

    def write(self, doc_type, object_id, document):
        targets = self._targets(doc_type)
        if document is None:
            for index in targets:
                self.client.options(ignore_status=404).delete(index=index, id=str(object_id))
            return
        body = source(doc_type, object_id, document)
        for index in targets:
            self.client.index(index=index, id=str(object_id), document=body)

    def begin_rebuild(self, doc_type):
        alias = alias_name(doc_type)
        name = f"{alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self.update_synonyms()
        index_for(name).create(using=self.client)
        cache.set(_rebuilding_key(alias), name, REBUILD_SECONDS)
        return name

    def write_batch(self, token, doc_type, pairs):
        paths = region_paths([d for _pk, d in pairs])
        actions = [
            {"_op_type": "index", "_index": token, "_id": str(pk), "_source": source(doc_type, pk, d, paths)}
            if d is not None
            # Written there meanwhile by a save, then no longer public: not in the new index either.
            else {"_op_type": "delete", "_index": token, "_id": str(pk)}
            for pk, d in pairs
        ]
        if actions:
            bulk(self.client, actions, ignore_status=404)
        return sum(1 for _pk, d in pairs if d is not None)

    def end_rebuild(self, token, doc_type):
        alias = alias_name(doc_type)
        self.client.indices.refresh(index=token)
        try:
            old = [name for name in self.client.indices.get_alias(name=alias) if name != token]
        except NotFoundError:
            old = []
        # One request: the alias leaves the old index and reaches the new one at once.
        actions = [{"remove": {"index": name, "alias": alias}} for name in old]
        self.client.indices.update_aliases(actions=[*actions, {"add": {"index": token, "alias": alias}}])
        cache.delete(_rebuilding_key(alias))
        if old:
            self.client.options(ignore_status=404).indices.delete(index=",".join(old))
        self._ready.add(alias)

    def stored(self, doc_type):
        from ..drift import COMPARED

        try:
            found = list(scan(self.client, index=alias_name(doc_type), _source=["object_id", *COMPARED]))
        except NotFoundError:
            return {}
        entries = {}
        for raw in found:
            fields = raw["_source"]
            entry = {name: fields.get(name) for name in COMPARED}
            entry["expires_at"] = parse_datetime(entry["expires_at"])
            entries[int(fields["object_id"])] = entry
        return entries

    # Reading.
    def search(self, query):
        from ..segment import query_terms

        terms = query_terms(query.text)
        if not terms or not aliases(query.audience):  # no words, or no type of this audience
            return Answer(query=query.text, terms=terms)
        try:
            body = search_request(query, terms, using=self.client).execute().to_dict()
            partial = not body.get("aggregations", {}).get("type", {}).get("buckets") and len(terms) > 1
            if partial:  # no record holds every word: those holding some, most words first
                body = search_request(query, terms, every=False, using=self.client).execute().to_dict()
        except FAILURES:
            logger.exception("Elasticsearch did not answer the search %r", query.text)
            return Answer(query=query.text, terms=terms, failed=True)
        return answer_of(query, terms, body, partial=partial)

    def similar(
        self,
        doc_type,
        object_id=None,
        *,
        text="",
        types=(),
        limit=5,
        region_path="",
        category=None,
        statuses=(),
        audience=PUBLIC,
        within=(),
    ):
        request = similar_request(
            doc_type=doc_type,
            object_id=object_id,
            text=text,
            types=types,
            limit=limit,
            region_path=region_path,
            category=category,
            statuses=statuses,
            audience=audience,
            within=within,
            using=self.client,
        )
        if request is None:
            return []
        try:
            body = request.execute().to_dict()
        except FAILURES:
            logger.exception("Elasticsearch did not answer the similar records of %s %s", doc_type, object_id)
            return []
        return [hit_of(raw) for raw in body.get("hits", {}).get("hits", [])]

"""An Elasticsearch that answers the real client without a server: a node class (elastic_transport's
`BaseNode`) records every request and answers in Elasticsearch's own JSON format.

It keeps indices, aliases and documents as the APIs the backend uses would (create an index, index,
delete, bulk, refresh, aliases, synonyms, a scroll over every document); a search is answered with the
next queued body (`answer`), or with every document of the indices asked, unranked.
"""

import json
from urllib.parse import parse_qs, unquote, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, ConnectionError, HttpHeaders
from elastic_transport._node import NodeApiResponse

SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}


def search_body(hits=(), total=None, aggregations=None):
    """A search response: `hits` are (doc_type, object_id, source fields, extra hit keys) tuples."""
    rows = []
    for doc_type, object_id, fields, *extra in hits:
        rows.append(
            {
                "_index": f"gongzhi-{doc_type}-20260101000000000000",
                "_id": str(object_id),
                "_score": 1.0,
                "_source": {"doc_type": doc_type, "object_id": object_id, **fields},
                **(extra[0] if extra else {}),
            }
        )
    return {
        "took": 3,
        "timed_out": False,
        "_shards": SHARDS,
        "hits": {
            "total": {"value": len(rows) if total is None else total, "relation": "eq"},
            "max_score": 1.0,
            "hits": rows,
        },
        "aggregations": aggregations or {"type": {"buckets": [{"key": "project", "doc_count": len(rows)}]}},
    }


class FakeElasticsearch:
    def __init__(self):
        self.requests = []  # (method, path, query, body)
        self.indices = {}  # concrete index -> its creation body
        self.aliases = {}  # alias -> concrete index
        self.documents = {}  # concrete index -> {id: source}
        self.synonyms = {}  # set id -> rules
        self.answers = []  # queued search response bodies
        self.down = False

    def answer(self, *bodies):
        self.answers.extend(bodies)

    def sent(self, method=None, path=None):
        return [r for r in self.requests if (method is None or r[0] == method) and (path is None or path in r[1])]

    def node_class(self):
        server = self

        class Node(FakeNode):
            pass

        Node.server = server
        return Node

    # The APIs.
    def _concrete(self, name):
        return self.aliases.get(name, name)

    def handle(self, method, path, query, body):
        parts = [p for p in path.split("/") if p]
        if self.down:
            raise ConnectionError("Connection refused")
        if method == "HEAD" and not parts:
            return 200, None
        if parts[:1] == ["_alias"]:
            name = parts[1]
            if name not in self.aliases:
                return 404, {"error": f"alias [{name}] missing", "status": 404} if method == "GET" else None
            return 200, {self.aliases[name]: {"aliases": {name: {}}}} if method == "GET" else None
        if parts[:1] == ["_synonyms"]:
            self.synonyms[parts[1]] = body["synonyms_set"]
            return 200, {"result": "updated", "reload_analyzers_details": {"_shards": SHARDS, "reload_details": []}}
        if parts[:1] == ["_aliases"]:
            for action in body["actions"]:
                ((kind, spec),) = action.items()
                if kind == "add":
                    self.aliases[spec["alias"]] = spec["index"]
                elif self.aliases.get(spec["alias"]) == spec["index"]:
                    del self.aliases[spec["alias"]]
            return 200, {"acknowledged": True}
        if parts[:1] == ["_bulk"]:
            return 200, self._bulk(body)
        if parts[:2] == ["_search", "scroll"]:
            return 200, {"_scroll_id": "scroll-1", "_shards": SHARDS, "hits": {"total": {"value": 0}, "hits": []}}
        if len(parts) == 1 and method == "PUT":
            if parts[0] in self.indices:
                error = {"type": "resource_already_exists_exception", "reason": "exists"}
                return 400, {"error": {"root_cause": [error], **error}, "status": 400}
            self.indices[parts[0]] = body
            self.documents[parts[0]] = {}
            for alias in (body or {}).get("aliases", {}):
                self.aliases[alias] = parts[0]
            return 200, {"acknowledged": True, "shards_acknowledged": True, "index": parts[0]}
        if len(parts) == 1 and method == "DELETE":
            for name in parts[0].split(","):
                self.indices.pop(name, None)
                self.documents.pop(name, None)
            return 200, {"acknowledged": True}
        if len(parts) == 2 and parts[1] == "_refresh":
            return 200, {"_shards": SHARDS}
        if len(parts) == 2 and parts[1] == "_search":
            return 200, self._search(parts[0], query)
        if len(parts) == 3 and parts[1] == "_doc":
            return self._document(method, self._concrete(parts[0]), parts[2], body)
        return 400, {"error": {"type": "fake_unsupported", "reason": f"{method} {path}"}, "status": 400}

    def _document(self, method, index, doc_id, body):
        reply = {"_index": index, "_id": doc_id, "_version": 1, "_shards": SHARDS, "_seq_no": 0, "_primary_term": 1}
        if index not in self.documents:
            error = {"type": "index_not_found_exception", "reason": f"no such index [{index}]"}
            return 404, {"error": error, "status": 404}
        if method == "DELETE":
            found = self.documents[index].pop(doc_id, None) is not None
            return (200 if found else 404), {**reply, "result": "deleted" if found else "not_found"}
        self.documents[index][doc_id] = body
        return 201, {**reply, "result": "created"}

    def _bulk(self, lines):
        items = []
        for action, source in lines:
            ((kind, meta),) = action.items()
            status, reply = self._document(
                "DELETE" if kind == "delete" else "PUT", self._concrete(meta["_index"]), meta["_id"], source
            )
            items.append({kind: {**reply, "status": status}})
        return {"took": 2, "errors": any(i[k]["status"] >= 300 for i in items for k in i), "items": items}

    def _search(self, names, query):
        if self.answers and "scroll" not in query:
            return self.answers.pop(0)
        rows = []
        for name in names.split(","):
            for doc_id, source in self.documents.get(self._concrete(name), {}).items():
                rows.append({"_index": self._concrete(name), "_id": doc_id, "_score": 1.0, "_source": source})
        body = {
            "took": 1,
            "timed_out": False,
            "_shards": SHARDS,
            "hits": {"total": {"value": len(rows), "relation": "eq"}, "hits": rows},
        }
        if "scroll" in query:
            body["_scroll_id"] = "scroll-1"
        return body


class FakeNode(BaseNode):
    _CLIENT_META_HTTP_CLIENT = ("fake", "1.0")
    server: FakeElasticsearch

    def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
        url = urlsplit(target)
        path, query = unquote(url.path), {k: v[0] for k, v in parse_qs(url.query).items()}
        parsed = None
        if body:
            text = body.decode()
            if path.endswith("_bulk"):
                parsed = _pairs([json.loads(line) for line in text.splitlines() if line.strip()])
            else:
                parsed = json.loads(text)
        self.server.requests.append((method, path, query, parsed))
        status, reply = self.server.handle(method, path, query, parsed)
        meta = ApiResponseMeta(
            status=status,
            http_version="1.1",
            headers=HttpHeaders({"content-type": "application/json", "x-elastic-product": "Elasticsearch"}),
            duration=0.0,
            node=self.config,
        )
        return NodeApiResponse(meta, json.dumps(reply).encode() if reply is not None else b"")


def _pairs(lines):
    """A bulk body's lines as (action, source or None) pairs."""
    pairs, i = [], 0
    while i < len(lines):
        action = lines[i]
        if "delete" in action:
            pairs.append((action, None))
            i += 1
        else:
            pairs.append((action, lines[i + 1]))
            i += 2
    return pairs

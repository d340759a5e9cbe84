"""What every search backend offers, and the one results contract both backends answer in.

The layer hands a backend `Document`s to write (search.registry: only public fields, or a staff type's
fields marked for staff) and `Query`s to answer; the pages, the API and the features read `Answer`s and
`Hit`s and never a backend's own rows, so the database and Elasticsearch are interchangeable.
"""

from dataclasses import dataclass, field
from datetime import datetime

PUBLIC = "public"
STAFF = "staff"

SORTS = ("relevance", "newest", "gap")


@dataclass(frozen=True)
class Query:
    text: str
    language: str = ""  # the reader's: CMS pages of that language and of the portal's own are found
    doc_type: str = ""
    status: str = ""
    category: int | None = None
    region_path: str = ""  # only records at or below this region (a materialised path)
    wanted: bool = False  # only records still short of money (funding gap > 0)
    year: int | None = None  # only records dated in this year
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    audience: str = PUBLIC  # PUBLIC for everybody; STAFF for a staff type, further limited by `within`
    within: tuple = ()  # for STAFF: region paths the reader may see (empty: all)


@dataclass
class Hit:
    doc_type: str
    object_id: int
    title: str
    url: str
    title_en: str = ""
    summary: str = ""
    status: str = ""
    dated: datetime | None = None
    gap: int | None = None
    # Safe HTML with the query's words marked, where the backend marks them itself (Elasticsearch's
    # highlighter); None lets the page mark the summary (search.highlight).
    highlight: str | None = None
    score: float = 0.0


@dataclass
class Answer:
    query: str
    terms: list
    hits: list = field(default_factory=list)
    total: int = 0
    # {"type": {"project": 3}, "status": {...}, "category": {id: n}, "region": {street path: n},
    #  "wanted": {"yes": n}, "year": {2026: n}}: counts over every hit, before `page`.
    facets: dict = field(default_factory=dict)
    failed: bool = False  # the backend could not answer (the page says so; nothing is made up)
    # No record holds every word: these hold some of them, most words first (the page says so).
    partial: bool = False


class SearchBackend:
    name = "base"

    def ping(self) -> bool:
        raise NotImplementedError

    # Writing. `document` is a search.registry.Document; None deletes the record's entry.
    def write(self, doc_type, object_id, document):
        raise NotImplementedError

    def begin_rebuild(self, doc_type):
        """Start rebuilding one type; returns a token handed back to write_batch and end_rebuild."""
        raise NotImplementedError

    def write_batch(self, token, doc_type, pairs):
        """Write `pairs` of (object_id, Document or None) during a rebuild."""
        raise NotImplementedError

    def end_rebuild(self, token, doc_type):
        """Make the rebuilt type the one searched (Elasticsearch swaps its alias), dropping what the
        rebuild did not write."""
        raise NotImplementedError

    def update_synonyms(self):
        """After editors change the synonyms: the database backend reads them at each query; Elasticsearch
        replaces its synonyms set."""

    def stored(self, doc_type) -> dict:
        """{object_id: stored fields} of one type, for the drift check."""
        raise NotImplementedError

    # Reading.
    def search(self, query: Query) -> Answer:
        raise NotImplementedError

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
        """Records like one indexed record (or like `text`), of `types` (default: its own), optionally only
        within a region, a category and statuses, best first, as Hits; the record itself is never among them."""
        raise NotImplementedError

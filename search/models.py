"""The database backend's index: one row per searchable record, written from what its app registered.

Only what anyone may read is written here (a record's app returns no document for a draft or a hidden
record, and only public fields for the rest), so a copy of this table reveals nothing the pages do not.
`terms` holds the record's words cut by `segment.index_terms`; PostgreSQL searches it through a GIN index
on its `simple` text vector (no stemming, no stop words: the words are already cut), SQLite by words.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The GIN index PostgreSQL searches through (created by migration 0001 on PostgreSQL only): queries must
# build the vector with this very expression for the planner to use it.
# On PostgreSQL the column `terms_vector` (generated from `terms`, stored; migration 0002, not a model field)
# with a GIN index per audience: a query names the audience as `audience = 'public'` for the planner to
# use the public one.
TERMS_VECTOR_SQL = "terms_vector"
# SQLite's full-text table over `terms` (external content, kept by triggers; created by migration 0002 on
# SQLite only). A migration that rebuilds the entries' table on SQLite must create the triggers again.
FTS_TABLE = "search_terms_fts"


class SearchEntry(models.Model):
    doc_type = models.CharField(_("type"), max_length=24)
    object_id = models.BigIntegerField()
    title = models.CharField(_("title"), max_length=300)
    title_en = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    terms = models.TextField(blank=True)
    # Facets: plain ids, not foreign keys (search imports no other app).
    region_id = models.BigIntegerField(null=True, blank=True)
    # The region's materialised path: "within this region" is a prefix, the street facet its first part.
    region_path = models.CharField(max_length=64, blank=True)
    category_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=24, blank=True)
    # A CMS page is written in one language (its translation is another record); blank: any reader's.
    language = models.CharField(max_length=8, blank=True)
    # The amount still wanted (fen), for "funding gap"; null where nothing is asked.
    gap = models.BigIntegerField(null=True, blank=True)
    dated = models.DateTimeField(null=True, blank=True)
    # Hidden from this time on without any write (a CMS page's expiry): queries leave it out.
    expires_at = models.DateTimeField(null=True, blank=True)
    # "public", or "staff" for a staff type (found only by a staff query within its regions).
    audience = models.CharField(max_length=8, default="public")
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["doc_type", "object_id"], name="search_one_entry_per_record")]
        indexes = [
            models.Index(fields=["doc_type", "-dated"], name="search_type_dated"),
        ]

    def __str__(self):
        return f"{self.doc_type} {self.object_id}: {self.title}"


class SynonymGroup(models.Model):
    """Words searched as one another (养老, 敬老, 为老服务), kept by editors in the CMS. Elasticsearch reads
    them in its search analyser (search.backends.elastic_documents); `search.synonyms.expand` gives them
    to whatever else wants them."""

    words = models.CharField(
        _("words"),
        max_length=500,
        help_text=_("Two or more words or phrases that mean the same, separated by commas."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["words"]

    def __str__(self):
        return self.words

    def clean(self):
        from django.core.exceptions import ValidationError

        from .synonyms import parse

        words = parse(self.words)
        if len(words) < 2:
            raise ValidationError({"words": _("Give at least two different words.")})
        self.words = ", ".join(words)

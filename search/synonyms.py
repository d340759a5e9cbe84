"""The synonyms editors keep (search.models.SynonymGroup): one group a line of words searched as one
another. Elasticsearch takes them as a synonyms set (`rules`); `expand` gives them to another backend.

A group saved or deleted in the CMS reaches Elasticsearch after the commit (`push_synonyms_task`): the set
is replaced, which reloads the search analysers using it, and the next search uses the new words. Nothing
is reindexed (the synonyms apply to what is asked, not to what is stored).
"""

import re

from django.db.models import Q

# Either comma, the enumeration comma, semicolons or new lines separate the words.
SEPARATORS = re.compile(r"[,，、;；\n]+")


def parse(line):
    """The words of a group, stripped, lowercased, each once; a Solr rule's "=>" is not a word."""
    words = (" ".join(w.split()).lower() for w in SEPARATORS.split(line or ""))
    return list(dict.fromkeys(w for w in words if w and "=>" not in w))


def groups(terms=None):
    """Every group's words (only those naming one of `terms`, if given)."""
    from .models import SynonymGroup

    rows = SynonymGroup.objects.all()
    if terms is not None:
        named = Q()
        for term in terms:
            named |= Q(words__icontains=term)
        if not named:
            return []
        rows = rows.filter(named)
    return [words for words in (parse(line) for line in rows.values_list("words", flat=True)) if len(words) > 1]


def rules():
    """The synonyms set of Elasticsearch's synonyms API: one rule a group, in Solr's format."""
    from .models import SynonymGroup

    found = []
    for pk, line in SynonymGroup.objects.order_by("pk").values_list("pk", "words"):
        words = parse(line)
        if len(words) > 1:
            found.append({"id": f"group-{pk}", "synonyms": ", ".join(words)})
    return found


def expand(terms):
    """For each of a query's words, the words it may be replaced by: [[word, its synonyms…], …] in the
    order of `terms` (a word with none is a group of one)."""
    named = groups(terms)
    expanded = []
    for term in terms:
        alternatives = [term]
        for words in named:
            if term in words:
                alternatives.extend(w for w in words if w not in alternatives)
        expanded.append(alternatives)
    return expanded


def push(**_kwargs):
    """After a group's save or delete: the synonyms set is replaced once the change is committed."""
    from .tasks import push_synonyms_task

    push_synonyms_task.delay()  # waits for the commit (portal/celery.py)

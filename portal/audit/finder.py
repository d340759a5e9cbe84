"""How the audit log page finds entries by words, without importing the search layer above it.

The search app registers the log as a staff type (search/audit_documents.py) and, from its `ready`, hands
this module the function that asks the layer: `install(find)`. `find(text)` returns the ids of the
entries holding the words, best first, or None when search is not answering (or nothing was installed).
"""

_find = None


def install(find):
    global _find
    _find = find


def find(text):
    return _find(text) if _find is not None else None

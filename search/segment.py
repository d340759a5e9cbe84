"""Words out of Chinese text, the same way for what is indexed and what is asked.

Chinese has no spaces, and out of the box PostgreSQL (and SQLite's unicode61 tokenizer) take a run of
Chinese characters as one word: 养老 is then not found in 社区养老服务中心. rjieba (jieba's dictionary, in
Rust) cuts the text into words first. The index side takes jieba's search mode, which adds the shorter
words inside long ones (服务中心 → 服务, 中心, 服务中心); the query side takes the plain cut, so a query
word is one the index holds. Latin words are lowercased and stemmed (Snowball's English stemmer: "lifts"
finds "lift"); punctuation and spaces are dropped. A query leaves out the little words every text holds
(的, the).
"""

import rjieba
import snowballstemmer

MAX_QUERY_TERMS = 8
# Words that would match nearly every record: asked for, they only slow the query down.
QUERY_STOP_WORDS = frozenset(
    ("的", "了", "和", "与", "及", "或", "在", "是", "吗", "呢", "啊", "把", "被", "个", "也", "都", "就")
    + ("a", "an", "and", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to", "with")
)
_stem = snowballstemmer.stemmer("english").stemWord


def _clean(words):
    for word in words:
        word = "".join(ch for ch in word.lower() if ch.isalnum())
        if word.isascii() and word.isalpha():
            word = _stem(word)
        if word:
            yield word


def index_terms(*texts):
    """The words of `texts` for the index, each once, in the order met: one space-separated string."""
    seen = dict.fromkeys(_clean(w for text in texts if text for w in rjieba.cut_for_search(text)))
    return " ".join(seen)


def query_terms(query):
    """The words of a query (at most MAX_QUERY_TERMS), each once."""
    words = (w for w in _clean(rjieba.cut(query or "")) if w not in QUERY_STOP_WORDS)
    return list(dict.fromkeys(words))[:MAX_QUERY_TERMS]

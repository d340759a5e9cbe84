"""Text similarity for Chinese without a tokenizer: sets of character bigrams.

"小区路灯不亮" and "路灯坏了不亮" share 路灯 and 不亮; Jaccard over bigrams
catches that cheaply. The database backend uses it; Elasticsearch uses its own
more-like-this once needs are indexed there.
"""


def bigrams(text):
    text = "".join(ch for ch in (text or "").lower() if ch.isalnum())
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def jaccard(a, b):
    return len(a & b) / len(a | b) if a and b else 0.0


def similarity(a, b):
    return jaccard(bigrams(a), bigrams(b))

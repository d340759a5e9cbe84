from search.text import similarity


class SearchBackend:
    """What every search backend offers. Later issues add indexing and full-text queries."""

    name = "base"

    def ping(self) -> bool:
        raise NotImplementedError

    def rank_similar(self, candidates, text, *, limit, threshold):
        """The `candidates` (objects with title and description) most like `text`, best first.

        The default scores bigram overlap in Python over a bounded candidate list;
        a backend with its own similarity (Elasticsearch's more_like_this) overrides it.
        """
        scored = [(similarity(text, f"{c.title} {c.description}"), c) for c in candidates]
        scored = [pair for pair in scored if pair[0] >= threshold]
        scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
        return [c for _score, c in scored[:limit]]

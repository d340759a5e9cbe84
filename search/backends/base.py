class SearchBackend:
    """What every search backend offers. Later issues add indexing and queries."""

    name = "base"

    def ping(self) -> bool:
        raise NotImplementedError

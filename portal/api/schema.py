def only_public_api(endpoints):
    """Keep /api/v1/ in the schema; Wagtail's internal admin API is not ours to document."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]

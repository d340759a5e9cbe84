from celery import shared_task


@shared_task(acks_late=True)
def index_record_task(name, pk):
    """Rewrite one record's search entry from its committed state. Idempotent."""
    from .indexing import index_record

    return index_record(name, pk) is not None  # written (True) or deleted (False)


@shared_task(acks_late=True)
def push_synonyms_task():
    """Give the backend the editors' synonyms as they are now (Elasticsearch replaces its synonyms set; the
    database backend reads them when asked). Idempotent."""
    from .backends import get_backend

    get_backend().update_synonyms()

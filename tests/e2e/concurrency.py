"""Many people acting at the same moment, for the committing tests that check the database keeps count."""

import threading

from django.db import connections

from portal.core.errors import DomainError


def at_once(jobs, *, at_most=None):
    """Run every job from its own thread, all released together; each thread uses (and closes) its own
    database connection, at most `at_most` of them talking to the server at a time.

    Returns (errors, refused): the repr of each unexpected exception, and the code of each DomainError
    (a refusal the service gives on purpose, such as a second ballot).
    """
    gate = threading.BoundedSemaphore(at_most or len(jobs))
    start = threading.Barrier(len(jobs))
    errors, refused = [], []

    def run(job):
        try:
            start.wait(timeout=120)
            with gate:
                try:
                    job()
                except DomainError as exc:
                    refused.append(exc.code)
                finally:
                    connections.close_all()
        except Exception as exc:  # a thread's failure is reported by the test, not lost
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return errors, refused

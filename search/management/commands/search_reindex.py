"""Rebuild the search index from the records, type by type, in batches, showing its progress."""

import sys
import time

from django.core.management.base import BaseCommand

from search import registry
from search.indexing import reindex


class Command(BaseCommand):
    help = "Rebuild the search index (all types, or those named with --type)."

    def add_arguments(self, parser):
        parser.add_argument("--type", action="append", dest="types", help="a type to rebuild (repeatable)")
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument(
            "--jobs", type=int, default=1, help="processes indexing each type at once (one a core: try 2 on 2 cores)"
        )

    def handle(self, *args, types=None, batch=2000, jobs=1, **options):
        known = {t.name for t in registry.types(audience=None)}
        unknown = set(types or ()) - known
        if unknown:
            self.stderr.write(f"Unknown type(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(known))}")
            sys.exit(2)
        started = time.monotonic()

        def progress(name, done, total):
            share = done * 100 // total if total else 100
            bar = "#" * (share // 5)
            self.stdout.write(f"\r{name:>10} [{bar:<20}] {done:,}/{total:,} {share}%", ending="")
            if done >= total:
                self.stdout.write("")
            self.stdout.flush()

        written = reindex(types, batch=batch, progress=progress, jobs=max(1, jobs))
        self.stdout.write(f"{written:,} entries written in {time.monotonic() - started:.1f} s")

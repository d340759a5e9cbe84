"""Report the index's drift from the records: entries missing, stale (the record changed since) or left
over (the record is gone or no longer public). Exits 1 when there is any."""

import sys

from django.core.management.base import BaseCommand

from search.drift import drift


class Command(BaseCommand):
    help = "Compare the search index with the records and report what differs."

    def handle(self, *args, **options):
        found = drift()
        for name, report in found.items():
            self.stdout.write(
                f"{name}: {report['missing']} missing, {report['stale']} stale, {report['left_over']} left over"
            )
        if any(sum(report.values()) for report in found.values()):
            sys.exit(1)
        self.stdout.write("The index matches the records.")

from django.core.management.base import BaseCommand, CommandError

from marketplace.funding import ledger
from marketplace.funding.models import LedgerEntry


class Command(BaseCommand):
    help = "Check the ledger's hash chain; exit non-zero naming the first broken entry."

    def handle(self, *args, **options):
        broken = ledger.verify()
        if broken is not None:
            entry, reason = broken
            where = f"entry #{entry.sequence} (id {entry.pk})" if entry is not None else "the chain head"
            raise CommandError(f"ledger broken at {where}: {reason}")
        self.stdout.write(f"ledger intact: {LedgerEntry.objects.count()} entries")

from django.core.management.base import BaseCommand, CommandError

from marketplace.funding import ledger


class Command(BaseCommand):
    help = (
        "Check the ledger's hash chain and every project's, fund's and gift's cached total against it; record the "
        "outcome (shown on /healthz and to staff) and exit non-zero naming what is wrong."
    )

    def handle(self, *args, **options):
        check = ledger.run_check()
        if not check.ok:
            raise CommandError("the books do not hold:\n" + check.problems)
        self.stdout.write(f"ledger intact: {check.entries} entries; every project's and fund's total agrees with it")

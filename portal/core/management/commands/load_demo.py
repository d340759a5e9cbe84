from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core.demo import DEMO_PASSWORD

# Each step is a module with `load(ctx) -> str` ("module:function" names another function of the
# module); later steps read what earlier ones put in ctx.
STEPS = [
    "portal.core.demo",
    "portal.regions.demo",
    "portal.organisations.demo",
    "portal.accounts.demo",
    "portal.pages.demo",
    "marketplace.needs.demo",
    "marketplace.projects.demo",  # merges some new needs into projects and takes them through their statuses
    "marketplace.funding.demo",  # the gifts behind what each project shows raised, through the ledger
    "marketplace.adoptions.demo",  # claims in every mode and status, NGOs' bids on published projects
    "portal.pages.demo:load_content",  # the CMS content shows those projects in its project books
    "marketplace.gridlogs.demo",
    "deliberation.councils.demo",  # councils at every level with members and collection windows
    "deliberation.topics.demo",  # topics in every status (some from referred needs), supports, comments
    "marketplace.reports.demo",  # the last 30 days' reports, from everything above
    "deliberation.meetings.demo",  # meetings in every status, minutes and follow-ups, an open and a secret vote
]


class Command(BaseCommand):
    help = "Load (or refresh) the demo district. Idempotent; only allowed in demo mode."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo data can only be loaded with DEMO_MODE=true (it creates accounts with a known password)."
            )
        ctx = {}
        for step in STEPS:
            name, _colon, function = step.partition(":")
            with transaction.atomic():
                summary = getattr(import_module(name), function or "load")(ctx)
            self.stdout.write(f"  {name.rsplit('.', 2)[-2]}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Demo district loaded. Every demo account's password: {DEMO_PASSWORD}"))

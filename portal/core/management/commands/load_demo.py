from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.core.demo import DEMO_PASSWORD, DemoOrderError, demo_steps


class Command(BaseCommand):
    help = "Load (or refresh) the demo district. Idempotent; only allowed in demo mode."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo data can only be loaded with DEMO_MODE=true (it creates accounts with a known password)."
            )
        try:
            steps = demo_steps()  # each app's demo module registers its steps (portal.core.demo.demo_step)
        except DemoOrderError as exc:
            raise CommandError(str(exc)) from exc
        ctx = {}
        for step in steps:
            with transaction.atomic():
                summary = step.load(ctx)
            self.stdout.write(f"  {step.label}: {summary}")
        self.stdout.write(self.style.SUCCESS(f"Demo district loaded. Every demo account's password: {DEMO_PASSWORD}"))

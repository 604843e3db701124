from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.customers.analysis import analyse_due_items
from heard.customers.demo import build_customer_demo, build_outreach_history
from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, build_demo
from heard.orgs.models import Organization
from heard.surveys.demo import build_survey_demo


class Command(BaseCommand):
    help = "Load the demo organisation, Maple & Co. (60 people, or --people N for benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=60)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when any organisation exists."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete an existing demo organisation first."
        )

    def handle(self, *args: Any, people: int, if_empty: bool, replace: bool, **opts: Any) -> None:
        if people < 60:
            raise CommandError("The demo organisation has at least 60 people.")
        if if_empty and Organization.objects.exists():
            self.stdout.write("The database already has an organisation; demo not loaded.")
            return
        existing = Organization.objects.filter(slug=DEMO_SLUG)
        if existing.exists():
            if not replace:
                raise CommandError("The demo organisation exists; use --replace to rebuild it.")
            from heard.accounts.models import User

            User.objects.filter(person__organization__slug=DEMO_SLUG).delete()
            existing.delete()
        started = time.perf_counter()
        org = build_demo(people=people)
        build_survey_demo(org)
        build_customer_demo(org)
        build_outreach_history(org)
        # The worker reads the customer messages in the background (inline in tests).
        analyse_due_items.enqueue(org.pk)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Loaded {org.name} with {org.people.count()} people in {org.teams.count()} teams"
            f", {org.surveys.count()} surveys and {org.customers.count()} customers "
            f"({seconds:.1f} s). Demo password: {DEMO_PASSWORD}"
        )
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<9} {email}")

"""Start a real organisation on a fresh installation: the organisation, its first admin, and
an invitation link for that admin (also emailed when email is configured)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.orgs.services.invitations import invitation_url
from heard.orgs.services.setup import organisation_create


class Command(BaseCommand):
    help = "Create an organisation and invite its first admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help='The organisation\'s name, e.g. "Maple & Co."')
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)

    def handle(self, *args: Any, name: str, admin_email: str, admin_name: str, **opts: Any) -> None:
        try:
            org, invitation = organisation_create(
                name=name, admin_name=admin_name, admin_email=admin_email
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"Created {org.name}. {admin_name} is its admin.")
        self.stdout.write("They create their sign-in with this link (it works once, 14 days):")
        self.stdout.write(f"  {invitation_url(invitation)}")

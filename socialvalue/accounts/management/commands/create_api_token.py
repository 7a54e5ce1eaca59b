"""``socialvalue create_api_token USER [--name NAME]``: a bearer token for the API."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from socialvalue.accounts.models import User
from socialvalue.accounts.services import api_token_create

DEFAULT_NAME = "Command line"


class Command(BaseCommand):
    help = (
        "Create an API token for the user with this email address. The token is printed "
        "once, on the first line; only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", metavar="USER", help="The user's email address.")
        parser.add_argument(
            "--name",
            default=DEFAULT_NAME,
            help=f"What the token is for, to tell it apart later (default: {DEFAULT_NAME!r}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["user"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}.")
        try:
            token, raw = api_token_create(user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(raw)
        self.stdout.write(
            f"Created API token “{token.name}” ({token.key_prefix}…) for {user.email}. "
            "Copy it now: it cannot be shown again."
        )

import os

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from users.models import User


class Command(BaseCommand):
    help = (
        "Make sure an admin login exists and print how to sign in. Creates ADMIN_USERNAME "
        "(default: admin) with ADMIN_PASSWORD when no superuser exists. ADMIN_PASSWORD must "
        "pass the password validators; only with DEBUG on may it be left out (then it is "
        "'admin', for a development machine)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="Where the server answers, for the sign-in hint (default: %(default)s).",
        )

    def handle(self, *args, url, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "")
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is None:
            if password:
                try:
                    validate_password(password, User(username=username))
                except ValidationError as exc:
                    raise CommandError("ADMIN_PASSWORD: " + " ".join(exc.messages)) from exc
            elif settings.DEBUG:
                password = "admin"  # a development machine's (make run): never in production
            else:
                raise CommandError(
                    "Set ADMIN_PASSWORD (a strong one) to create the first admin login: with "
                    "DEBUG off no password is made up."
                )
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(f"Created the admin login {username!r} with password {password!r}.")
            shown = username
        else:
            shown = existing.username
            self.stdout.write(f"Admin login: {shown!r} (password unchanged).")
        url = url.rstrip("/")
        # The settings refuse to start without a SECRET_KEY unless DEBUG is on: say so.
        prefix = "DEBUG=1 " if settings.DEBUG else ""
        self.stdout.write(f"Sign in at {url}/admin/ · API docs at {url}/api/docs/")
        self.stdout.write(f"An API token: {prefix}.venv/bin/python manage.py create_token {shown}")

import os

from django.core.management.base import BaseCommand

from users.models import User


class Command(BaseCommand):
    help = (
        "Make sure an admin login exists and print how to sign in. Creates ADMIN_USERNAME "
        "(default: admin) with ADMIN_PASSWORD (default: admin) when no superuser exists."
    )

    def handle(self, *args, **options):
        username = os.environ.get("ADMIN_USERNAME", "admin")
        password = os.environ.get("ADMIN_PASSWORD", "admin")
        existing = User.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is None:
            User.objects.create_superuser(username=username, email="", password=password)
            self.stdout.write(f"Created the admin login {username!r} with password {password!r}.")
            shown = username
        else:
            shown = existing.username
            self.stdout.write(f"Admin login: {shown!r} (password unchanged).")
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/admin/ · API docs at http://127.0.0.1:8000/api/docs/"
            f" · API token: .venv/bin/python manage.py create_token {shown}"
        )

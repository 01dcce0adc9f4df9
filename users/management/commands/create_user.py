from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from users import services
from users.models import User
from users.roles import FloorRole


class Command(BaseCommand):
    help = (
        "Create a user of the floor in one step: a technician (sees the floor, moves cycles) or "
        "a production manager (runs the floor). The user signs in to the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The new user's login name.")
        parser.add_argument(
            "--role",
            choices=FloorRole.values,
            default=FloorRole.TECHNICIAN,
            help="technician (default) or manager.",
        )
        parser.add_argument("--email", default="", help="The user's e-mail address.")
        parser.add_argument(
            "--password",
            help="The password (without one, the user cannot sign in until it is set).",
        )

    def handle(self, *args, username, role, email, password, **options):
        if User.objects.filter(username=username.strip()).exists():
            raise CommandError(f"A user called {username.strip()!r} already exists.")
        try:
            user = services.user_create(
                username=username, role=FloorRole(role), password=password, email=email
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created {FloorRole(role).label.lower()} {user.username}.")

from django.core.management.base import BaseCommand, CommandError

from users import services


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME (creating the user if needed) and print it as the "
        "last line. Any previous token of that user stops working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user to issue the token for.")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Make the user a superuser (every permission; admin access).",
        )

    def handle(self, *args, username, superuser, **options):
        username = username.strip()
        if not username:
            raise CommandError("USERNAME must not be blank.")
        user, created = services.user_ensure(username=username, superuser=superuser)
        token = services.token_issue(user=user)
        self.stdout.write(f"{'Created' if created else 'Found'} user {user.username}.")
        if not user.is_superuser and not user.role_holdings.exists():
            self.stdout.write(
                "Note: this user holds no role yet; give one in the admin (Roles) or over "
                "POST /api/roles/{role_id}/users, or use --superuser."
            )
        self.stdout.write("Use it as: Authorization: Bearer <token>")
        self.stdout.write(token)

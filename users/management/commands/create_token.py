from django.core.management.base import BaseCommand, CommandError

from users import services


class Command(BaseCommand):
    help = (
        "Issue a new API token for USERNAME (creating the user if needed) and print it as the "
        "last line — the only time it is shown: the database keeps a digest. Any previous "
        "token of that user stops working. It expires after NIAGARA_TOKEN_DAYS (default 90)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user to issue the token for.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until it expires (default: NIAGARA_TOKEN_DAYS; 0: never).",
        )
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Make the user a superuser (every permission; admin access).",
        )

    def handle(self, *args, username, superuser, days=None, **options):
        username = username.strip()
        if not username:
            raise CommandError("USERNAME must not be blank.")
        user, created = services.user_ensure(username=username, superuser=superuser)
        if days is not None and days < 0:
            raise CommandError("--days is 0 (never) or more.")
        token = services.token_issue(user=user, days=days)
        self.stdout.write(f"{'Created' if created else 'Found'} user {user.username}.")
        if not user.is_superuser and not user.role_holdings.exists():
            self.stdout.write(
                "Note: this user holds no role yet; give one in the admin (Roles) or over "
                "POST /api/roles/{role_id}/users, or use --superuser."
            )
        expires = user.personal_tokens.get().expires
        when = f"until {expires:%Y-%m-%d}" if expires else "with no expiry"
        self.stdout.write(f"Use it as: Authorization: Bearer <token> ({when}; shown only now)")
        self.stdout.write(token)

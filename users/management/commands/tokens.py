from django.core.management.base import BaseCommand, CommandError
from oauth2_provider.models import AccessToken

from users import services
from users.models import PersonalToken, User


class Command(BaseCommand):
    help = (
        "List the API tokens in use (personal tokens from create_token and OAuth2 access "
        "tokens), or revoke them: every token of a user, or every token of an API client."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="List tokens (secrets are never shown).")
        listing.add_argument("--user", help="Only this user's tokens.")
        revoking = actions.add_parser("revoke", help="Revoke tokens: they stop working now.")
        whose = revoking.add_mutually_exclusive_group(required=True)
        whose.add_argument("--user", help="Every token of this user (and of its clients).")
        whose.add_argument("--client", help="Every token of the API client with this id.")

    def handle(self, *args, action, user=None, client=None, **options):
        owner = None
        if user is not None:
            owner = User.objects.filter(username=user.strip()).first()
            if owner is None:
                raise CommandError(f"No user called {user.strip()!r}.")
        if action == "list":
            self._list(owner)
            return
        revoked = services.tokens_revoke(user=owner, client_id=client)
        self.stdout.write(f"Revoked {revoked} token(s).")

    def _list(self, owner):
        personal = PersonalToken.objects.select_related("user").order_by("created")
        oauth = AccessToken.objects.select_related("user", "application__user").order_by("created")
        if owner is not None:
            personal = personal.filter(user=owner)
            oauth = oauth.filter(application__user=owner) | oauth.filter(user=owner)
        rows = [("KIND", "USER", "TOKEN OR CLIENT", "CREATED", "EXPIRES", "LAST USED")]
        rows += [
            (
                "personal",
                token.user.username,
                f"{token.prefix}… {token.label}".rstrip(),
                f"{token.created:%Y-%m-%d %H:%M}",
                f"{token.expires:%Y-%m-%d}" if token.expires else "never",
                f"{token.last_used:%Y-%m-%d %H:%M}" if token.last_used else "never",
            )
            for token in personal
        ]
        rows += [
            (
                "oauth2",
                (token.user or token.application.user).username,
                f"{token.application.name} ({token.application.client_id})",
                f"{token.created:%Y-%m-%d %H:%M}",
                f"{token.expires:%Y-%m-%d %H:%M}",
                "-",
            )
            for token in oauth
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            cells = zip(row, widths, strict=True)
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in cells).rstrip())

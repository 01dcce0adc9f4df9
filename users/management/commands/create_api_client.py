from django.core.management.base import BaseCommand, CommandError

from niagara.errors import NiagaraError
from users import services
from users.models import User


class Command(BaseCommand):
    help = (
        "Register an integration: an OAuth2 client (client credentials) acting as USER, so it "
        "may do what USER may (within the scopes it asks for). Prints the client id and its "
        "secret once; the secret is stored hashed and cannot be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="What the integration is, e.g. 'ERP sync'.")
        parser.add_argument("--user", required=True, help="The user the client acts as.")
        parser.add_argument(
            "--on-behalf",
            action="store_true",
            help="Let the client act on behalf of other users (the Requestor-ID header): "
            "granted to USER.",
        )

    def handle(self, *args, name, user, on_behalf, **options):
        acting_as = User.objects.filter(username=user.strip()).first()
        if acting_as is None:
            raise CommandError(f"No user called {user.strip()!r}.")
        try:
            client, secret = services.api_client_create(
                name=name, user=acting_as, on_behalf=on_behalf
            )
        except NiagaraError as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"Registered API client {client.name!r} acting as {acting_as.username}.")
        if on_behalf:
            self.stdout.write(
                f"{acting_as.username} may now act on behalf of others (Requestor-ID)."
            )
        self.stdout.write(f"client_id:     {client.client_id}")
        self.stdout.write(f"client_secret: {secret}")
        self.stdout.write(
            "Keep the secret now: it is stored hashed. Get a token with\n"
            "  curl -u CLIENT_ID:CLIENT_SECRET -d grant_type=client_credentials "
            "http://127.0.0.1:8000/oauth/token/"
        )

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from users.models import User
from users.operators import station_pass_set


class Command(BaseCommand):
    help = (
        "Set or clear how a person takes over a shared station: a PIN (4 to 8 digits, with "
        "their name) and/or a badge code. Only digests are stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The person's login name.")
        parser.add_argument("--pin", help="Their station PIN, 4 to 8 digits.")
        parser.add_argument("--badge", help="Their badge's code, as the scanner types it.")
        parser.add_argument(
            "--clear", action="store_true", help="Remove their PIN and badge instead."
        )

    def handle(self, *args, username, pin, badge, clear, **options):
        user = User.objects.filter(username__iexact=username.strip()).first()
        if user is None:
            raise CommandError(f"No user called {username.strip()!r}.")
        if not clear and pin is None and badge is None:
            raise CommandError("Give --pin, --badge or --clear.")
        try:
            if clear:
                station_pass_set(user, pin="", badge="")
            else:
                station_pass_set(user, pin=pin, badge=badge)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        done = (
            "cleared"
            if clear
            else "set "
            + " and ".join(
                what for what, given in (("PIN", pin), ("badge", badge)) if given is not None
            )
        )
        self.stdout.write(f"Station sign-in of {user.username}: {done}.")

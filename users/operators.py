"""Shared stations: a person takes a station over with their badge or their name and PIN,
and every switch — and every refused attempt — is kept (``OperatorSwitch``).

The station is a Django session: a switch signs the previous person out and the new one in
(``django.contrib.auth.login`` rotates the session), so what follows is done as them."""

import hashlib
import re
from datetime import timedelta

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import OperatorSwitch, StationPass, User

PIN_PATTERN = re.compile(r"^[0-9]{4,8}$")
# Refused attempts within the window before a name (or an address, for badges) is held off.
ATTEMPTS_ALLOWED = 5
ATTEMPTS_WINDOW = timedelta(minutes=15)


class SwitchRefused(Exception):
    """The person could not be identified; the message says what to do, not which part was
    wrong (a name that exists and a wrong PIN read alike)."""


def badge_digest(badge: str) -> str:
    return hashlib.sha256(badge.strip().encode()).hexdigest()


@transaction.atomic
def station_pass_set(
    user: User, *, pin: str | None = None, badge: str | None = None
) -> StationPass:
    """Set (or, with ``""``, clear) a person's station PIN and badge; ``None`` leaves one as
    it is. A PIN is 4 to 8 digits; a badge belongs to one person."""
    station_pass, _ = StationPass.objects.select_for_update().get_or_create(user=user)
    if pin is not None:
        if pin and not PIN_PATTERN.match(pin):
            raise ValidationError({"pin": "A PIN is 4 to 8 digits."})
        station_pass.pin = make_password(pin) if pin else ""
    if badge is not None:
        digest = badge_digest(badge) if badge.strip() else ""
        taken = StationPass.objects.filter(badge=digest).exclude(user=user)
        if digest and taken.exists():
            raise ValidationError({"badge": "Another person already has this badge."})
        station_pass.badge = digest
    station_pass.save()
    return station_pass


def station_pass_state(user: User) -> dict[str, bool]:
    """Whether a person has a PIN and a badge (what the admin shows: never the values)."""
    station_pass = StationPass.objects.filter(user=user).first()
    return {
        "pin": bool(station_pass and station_pass.pin),
        "badge": bool(station_pass and station_pass.badge),
    }


def operator_switch(
    *, current: User | None, badge: str = "", name: str = "", pin: str = "", address=None
) -> User:
    """Return the person a badge, or a name and PIN, identify — an active staff member —
    and record the switch from ``current``; raise ``SwitchRefused`` (recorded too)."""
    method = OperatorSwitch.Method.BADGE if badge.strip() else OperatorSwitch.Method.PIN
    since = timezone.now() - ATTEMPTS_WINDOW
    refused = OperatorSwitch.objects.filter(succeeded=False, at__gte=since)
    if method == OperatorSwitch.Method.BADGE:
        held_off = refused.filter(method=method, address=address).count() >= ATTEMPTS_ALLOWED
        found = StationPass.objects.filter(badge=badge_digest(badge)).select_related("user")
        person = next((p.user for p in found), None)
    else:
        name = name.strip()[:150]
        held_off = refused.filter(name_tried__iexact=name).count() >= ATTEMPTS_ALLOWED
        station_pass = (
            StationPass.objects.filter(user__username__iexact=name).select_related("user").first()
        )
        person = None
        if station_pass and station_pass.pin and check_password(pin, station_pass.pin):
            person = station_pass.user
    able = person is not None and person.is_active and person.is_staff
    succeeded = able and not held_off
    OperatorSwitch.objects.create(
        from_user=current if current and current.is_authenticated else None,
        to_user=person if succeeded else None,
        method=method,
        name_tried="" if method == OperatorSwitch.Method.BADGE else name,
        succeeded=succeeded,
        address=address,
    )
    if held_off:
        raise SwitchRefused(
            "Too many attempts that did not match: wait 15 minutes or ask a manager."
        )
    if not succeeded:
        what = "badge" if method == OperatorSwitch.Method.BADGE else "name and PIN"
        raise SwitchRefused(f"That {what} does not match anyone who may use the station.")
    return person

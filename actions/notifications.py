"""Notifications: left for people in the app (``/me/notifications``, the admin's header) and
sent by e-mail to whoever has an address."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models.functions import Lower

from customers.models import Contact

from .models import Notification

logger = logging.getLogger(__name__)


def recipients(ids: list[str]) -> tuple[list, list[str]]:
    """The people ``ids`` name (users, or contacts: a contact who signs in with the same
    e-mail address is that user), and every e-mail address among them."""
    User = get_user_model()
    contacts = list(Contact.objects.filter(public_id__in=ids).values_list("email", flat=True))
    lowered = [email.lower() for email in contacts]
    users = list(
        User.objects.annotate(lower_email=Lower("email")).filter(public_id__in=ids, is_active=True)
        | User.objects.annotate(lower_email=Lower("email")).filter(
            lower_email__in=lowered, is_active=True
        )
    )
    addresses = {email.lower(): email for email in contacts}
    for user in users:
        if user.email:
            addresses.setdefault(user.email.lower(), user.email)
    return users, sorted(addresses.values())


def notify(
    ids: list[str],
    *,
    label: str,
    message: str,
    severity: str,
    key: str,
    sender=None,
    source_id: str = "",
    regarding=None,
) -> int:
    """Leave a notification for each person ``ids`` names (once per ``key``) and e-mail each
    address once the transaction commits. Returns the number of notifications left."""
    users, addresses = recipients(ids)
    rows = [
        Notification(
            recipient=user,
            sender=sender,
            label=label[:200],
            message=message,
            severity=severity,
            key=key[:200],
            source_id=source_id,
            regarding_type=getattr(regarding, "entity_type", ""),
            regarding_id=getattr(regarding, "entity_id", ""),
            regarding_label=getattr(regarding, "label", "")[:200],
        )
        for user in users
    ]
    made = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if addresses:
        subject = f"[Niagara] {label}"[:200]
        transaction.on_commit(lambda: _mail(subject, message or label, addresses))
    return len(made)


def _mail(subject: str, body: str, addresses: list[str]) -> None:
    # One message per address (no one sees the others); a mail server that is down loses
    # the e-mail, not the notification in the app.
    try:
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
        )
    except Exception:
        logger.exception("notifications: e-mail to %d addresses failed", len(addresses))


def notification_mark(notification: Notification, /, *, read=None, archived=None) -> Notification:
    """Mark a notification read or unread, archived or not."""
    if read is not None:
        notification.read = read
    if archived is not None:
        notification.archived = archived
    notification.save(update_fields=["read", "archived", "updated"])
    return notification


# The header says "99+" past this: a count that costs the same for a full inbox.
UNREAD_SHOWN = 99


def unread_count(user) -> int:
    """Unread notifications of ``user``, counted up to ``UNREAD_SHOWN + 1``."""
    unread = Notification.objects.filter(recipient=user, archived=False, read=False)
    return unread[: UNREAD_SHOWN + 1].count()

"""Which webhooks a caller manages: those of the customers they may change (``customer:update``
there), and the shop-wide ones (no customer) only with ``customer:update`` everywhere."""

from django.db.models import QuerySet

from niagara.access import access_for

from .models import Attempt, Webhook


def webhooks_for(request) -> QuerySet[Webhook]:
    access = access_for(request)
    webhooks = Webhook.objects.select_related("customer").order_by("id")
    if access.holds_everywhere("customer:update"):
        return webhooks
    return access.visible(webhooks, through="customer", permission="customer:update")


def may_manage_everywhere(request) -> bool:
    return access_for(request).holds_everywhere("customer:update")


def attempts_of(webhook: Webhook) -> QuerySet[Attempt]:
    """A webhook's attempts, newest first, with their delivery (one query a page)."""
    return (
        Attempt.objects.filter(webhook=webhook)
        .select_related("delivery", "delivery__event")
        .order_by("-id")
    )

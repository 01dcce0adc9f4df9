"""Authorization, as the shared machinery (API and admin) sees it: a port.

Who may do what is decided by the permission graph (``users.access``, a layer above this one);
the shared machinery reaches it through ``settings.NIAGARA_ACCESS``, a function of the request
returning an object with ``visible(queryset)``, ``allows(permission, *instances)`` and
``can_read(instance)``.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def access_for(request):
    """Return what the caller of ``request`` may do (built once per request)."""
    return import_string(settings.NIAGARA_ACCESS)(request)


def may_view(request, instance) -> bool:
    """Whether the caller may read ``instance``. A reference to what one may not read is
    answered exactly like a reference to nothing (no existence oracle)."""
    return request is None or access_for(request).can_read(instance)


def visible(request, queryset, *, through: str = "", permission: str = ""):
    """Return the rows of ``queryset`` the caller may read (or ``permission``); ``through``
    reads them through another entity (cycles through their ``batch``)."""
    if request is None:
        return queryset
    return access_for(request).visible(queryset, through=through, permission=permission)


def read_condition(request, model):
    """The filter on ``model``'s rows that ``visible`` applies (the access layer's ``ALL``,
    ``NONE`` or a ``Q``)."""
    return access_for(request).read_condition(model)


def may_follow(request, path: str) -> bool:
    """Whether the caller may read what ``path`` (``"customers/<id>"``) names: links and
    embedded parents to anything else are left out. Answered from one read of each kind per
    request, never one per row."""
    collection, _, public_id = path.partition("/")
    return request is None or access_for(request).may_follow(collection, public_id)


def may_read_history(request, instance) -> bool:
    """Whether the caller may read the relations and change history of ``instance``, which
    they may read (people's and roles' are their administrators' alone)."""
    return request is None or access_for(request).may_read_history(instance)


def may_embed(request, instance) -> bool:
    """``may_follow`` for an object in hand (an embedded parent)."""
    return request is None or access_for(request).may_embed(instance)


def known_readable(request, instance) -> None:
    """Tell the caller's access that ``instance`` was just found readable (a parent in the
    URL): links to it need no query."""
    if request is None:
        return
    learn = getattr(access_for(request), "learn_readable", None)
    if learn is not None:
        learn(instance)


def learn_followable(request, targets: dict[str, set[str]]) -> None:
    """Have the caller's access read at once which of ``targets`` (public ids by collection,
    what a page links to) they may read: ``may_follow`` then answers them without a query."""
    access = access_for(request)
    learn = getattr(access, "learn_followable", None)
    if learn is not None:
        learn(targets)

"""Authorization, as the API machinery sees it: a port.

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


def visible(request, queryset):
    """Return the rows of ``queryset`` the caller may read."""
    return queryset if request is None else access_for(request).visible(queryset)

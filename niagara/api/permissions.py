"""Authorization: Django model permissions, reads included.

A richer, object-level permission model arrives with the roles and permissions issue.
"""

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """Require ``view_*`` to read, ``add_*`` to create, ``change_*`` to edit, ``delete_*``."""

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


def may_view(user, instance) -> bool:
    """Whether ``user`` may read ``instance``. A reference to what one may not read is
    answered exactly like a reference to nothing (no existence oracle)."""
    meta = instance._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}")

from django.contrib.admin.apps import AdminConfig


class NiagaraAdminConfig(AdminConfig):
    """Django's admin, with Niagara's site (its home is the cockpit)."""

    default_site = "niagara.admin_site.NiagaraAdminSite"

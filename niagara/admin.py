"""The admin site is ``niagara.admin_site.NiagaraAdminSite`` (set in ``niagara.apps``)."""

"""A device's trace: serial → unit → cycles → runs with every step, its work order, batch,
queue and notes, each linked to its page (and those pages link back here)."""

from django.http import Http404
from django.template.response import TemplateResponse

from niagara.access import access_for
from units.models import Unit

from .selectors import device_trace


def trace_view(admin_site, request, unit_id):
    access = access_for(request)
    unit = (
        access.visible(Unit.objects.select_related("part__customer", "current_location"))
        .filter(pk=unit_id)
        .first()
    )
    if unit is None:
        raise Http404
    context = {
        **admin_site.each_context(request),
        "title": f"Device {unit.raw_serial_number or unit.label}",
        "unit": unit,
        **device_trace(access, unit),
    }
    return TemplateResponse(request, "admin/engine/trace.html", context)

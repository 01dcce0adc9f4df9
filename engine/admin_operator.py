"""The shared station's operator switch: the next technician scans their badge (or types
their name and PIN) and the station is theirs — no password, no sign-out dance. The rules
and the audit are ``users.operators``'."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from users.operators import SwitchRefused, operator_switch

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def switch_view(admin_site, request):
    error = ""
    if request.method == "POST":
        previous = request.user
        try:
            person = operator_switch(
                current=previous,
                badge=request.POST.get("badge", ""),
                name=request.POST.get("name", ""),
                pin=request.POST.get("pin", ""),
                address=request.META.get("REMOTE_ADDR") or None,
            )
        except SwitchRefused as exc:
            error = str(exc)
        else:
            # A new session for the new person: nothing of the previous one's carries over.
            login(request, person, backend=MODEL_BACKEND)
            messages.success(
                request, f"This station is now {person.name}'s (was {previous.get_username()})."
            )
            return redirect("admin:engine_station")
    context = {
        **admin_site.each_context(request),
        "title": "Switch operator",
        "is_nav_sidebar_enabled": False,
        "error": error,
        "name": request.POST.get("name", "")[:150],
    }
    return TemplateResponse(
        request, "admin/engine/switch.html", context, status=400 if error else 200
    )

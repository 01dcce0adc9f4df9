"""The API's docs pages, offline: Redoc's bundle is served with the one address it would
fetch from outside (the "API docs by Redocly" logo on its CDN) pointing at a file of ours, so
the page makes no request to another origin and the CSP has nothing to block."""

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularRedocView

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
OUTSIDE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@cache
def _offline_bundle(logo_url: str) -> bytes:
    with open(finders.find(REDOC_BUNDLE), "rb") as bundle:
        return bundle.read().replace(OUTSIDE_LOGO.encode(), logo_url.encode())


@require_safe
def redoc_bundle(request):
    response = HttpResponse(
        _offline_bundle(static("niagara/favicon.svg")), content_type="text/javascript"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


class OfflineRedocView(SpectacularRedocView):
    @staticmethod
    def _redoc_standalone():
        return reverse("redoc-bundle")

"""API-wide views: the HAL index and the problem pages for errors outside DRF."""

import sys

from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import resolve
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from niagara.errors import DEFAULT_DETAILS, RETRY_AFTER_SECONDS, database_unavailable

from . import rels
from .exceptions import PROBLEM_MEDIA_TYPE, problem_body


class ApiRootView(APIView):
    """``GET /api/``: a HAL index with one link per collection."""

    permission_classes = [IsAuthenticated]
    api_root_dict: dict[str, str] = {}
    extra_links: dict[str, str] = {}

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        links = {
            "self": {"href": request.build_absolute_uri()},
            # ``nter:batch-queue`` is explained at ``…/rels/batch-queue`` (HAL's CURIEs).
            "curies": [
                {
                    "name": rels.PREFIX,
                    "href": reverse("rels", request=request) + "{rel}",
                    "templated": True,
                }
            ],
        }
        routes = {f"nter:{prefix}": name for prefix, name in self.api_root_dict.items()}
        for rel, url_name in {**routes, **self.extra_links}.items():
            path = reverse(url_name)
            if _may_get(request, path):
                links[rel] = {"href": request.build_absolute_uri(path)}
        return Response({"_links": links})


def _may_get(request, path: str) -> bool:
    """Whether the caller passes the permission checks of ``GET path`` (its view's, as it would
    run them): the index links no collection that would answer 403."""
    match = resolve(path)
    view_class = getattr(match.func, "cls", None)
    if view_class is None:
        return True
    view = view_class(request=request, args=(), kwargs=match.kwargs, format_kwarg=None)
    view.action = (getattr(match.func, "actions", None) or {}).get("get")
    return all(check.has_permission(request, view) for check in view.get_permissions())


def _is_api_path(request) -> bool:
    return request.path.startswith(reverse("api-root"))


@csrf_exempt
def problem_404_view(request, exception=None):
    """Answer unknown /api/ paths with a problem document."""
    body = problem_body(404, f'No resource at "{request.path}"')
    return JsonResponse(body, status=404, content_type=PROBLEM_MEDIA_TYPE)


def problem_500_view(request):
    """Answer crashes outside DRF's handler without disclosing internals; a database that did
    not answer is a 503 with ``Retry-After`` (a problem for the API, a plain page elsewhere),
    so a client can tell "try again" from "broken"."""
    if database_unavailable(sys.exc_info()[1]):
        retry = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if _is_api_path(request):
            body = problem_body(503, DEFAULT_DETAILS[503])
            return JsonResponse(body, status=503, content_type=PROBLEM_MEDIA_TYPE, headers=retry)
        page = render_to_string("503.html", {"detail": DEFAULT_DETAILS[503]})
        return HttpResponse(page, status=503, headers=retry)
    if _is_api_path(request):
        body = problem_body(500, DEFAULT_DETAILS[500])
        return JsonResponse(body, status=500, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.server_error(request)

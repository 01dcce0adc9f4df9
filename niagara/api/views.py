"""API-wide views: the HAL index and the problem pages for errors outside DRF."""

from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from niagara.errors import DEFAULT_DETAILS

from .exceptions import PROBLEM_MEDIA_TYPE, problem_body


class ApiRootView(APIView):
    """``GET /api/``: a HAL index with one link per collection."""

    permission_classes = [IsAuthenticated]
    api_root_dict: dict[str, str] = {}
    extra_links: dict[str, str] = {}

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        links = {"self": {"href": request.build_absolute_uri()}}
        routes = {f"nter:{prefix}": name for prefix, name in self.api_root_dict.items()}
        for rel, url_name in {**routes, **self.extra_links}.items():
            links[rel] = {"href": reverse(url_name, request=request)}
        return Response({"_links": links})


def _is_api_path(request) -> bool:
    return request.path.startswith(reverse("api-root"))


@csrf_exempt
def problem_404_view(request, exception=None):
    """Answer unknown /api/ paths with a problem document."""
    body = problem_body(404, f'No resource at "{request.path}"')
    return JsonResponse(body, status=404, content_type=PROBLEM_MEDIA_TYPE)


def problem_500_view(request):
    """Answer crashes outside DRF's handler without disclosing internals."""
    if _is_api_path(request):
        body = problem_body(500, DEFAULT_DETAILS[500])
        return JsonResponse(body, status=500, content_type=PROBLEM_MEDIA_TYPE)
    return defaults.server_error(request)

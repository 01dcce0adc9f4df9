"""HAL+JSON rendering and a content negotiation that never answers 406 to a JSON client."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class HalJSONRenderer(JSONRenderer):
    media_type = "application/hal+json"
    format = "json"


class HalContentNegotiation(DefaultContentNegotiation):
    """Serve HAL to any client that does not ask for the browsable API.

    A client sending ``Accept: application/json`` gets HAL (which is JSON) instead of a 406.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type

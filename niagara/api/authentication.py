"""``Authorization: Bearer <token>`` authentication, as the Niagara docs use it."""

from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    keyword = "Bearer"

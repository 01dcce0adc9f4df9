"""``Authorization: Bearer <token>``: a personal token (``manage.py create_token``) or an
OAuth2 access token (``POST /oauth/token/``). A token that is neither — unknown, expired or
revoked — is a 401, and failed attempts are throttled per client address."""

from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from niagara.api.authentication import FailedAuthenticationThrottle
from users.tokens import token_user


class BearerAuthentication(TokenAuthentication):
    keyword = "Bearer"

    def authenticate_credentials(self, key):
        # A personal token, by its digest (the database never holds the secret).
        found = token_user(key)
        if found is None:
            raise AuthenticationFailed("Invalid token.")
        return found

    def authenticate(self, request):
        try:
            return super().authenticate(request)
        except AuthenticationFailed as refused:
            found = self._oauth2(request)
            if found is not None:
                return found
            throttle = FailedAuthenticationThrottle()
            if not throttle.allow_request(request, None):
                raise Throttled(wait=throttle.wait()) from None
            raise refused from None

    @staticmethod
    def _oauth2(request):
        if not get_authorization_header(request).split()[1:]:
            return None
        found = OAuth2Authentication().authenticate(request)
        if found is None:
            return None
        user, access_token = found
        # A client-credentials token acts as the user its client was registered for.
        user = user or access_token.application.user
        if user is None or not user.is_active:
            return None
        return user, access_token

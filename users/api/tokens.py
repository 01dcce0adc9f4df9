"""``/me/tokens``: a person's own API tokens — list them, issue one (its secret answered once),
revoke one. Staff's equivalents are ``create_token`` and ``tokens``; managers', the admin's
API tokens page."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from niagara.api.fields import DateTimeField, HalLinksField, StrictCharField, StrictDateTimeField
from niagara.api.serializers import ResourceSerializer
from niagara.api.viewsets import CreateModelMixin, DestroyModelMixin, NiagaraViewSet

from .. import tokens
from ..models import PersonalToken


class PersonalTokenSerializer(ResourceSerializer):
    token_id = serializers.CharField(source="public_id", read_only=True)
    label = StrictCharField(max_length=100, help_text="What the token is for")
    prefix = serializers.CharField(
        read_only=True, help_text="Its first characters, to tell tokens apart"
    )
    expires = StrictDateTimeField(
        required=False,
        allow_null=True,
        help_text="When it stops working: in the future, within NIAGARA_TOKEN_MAX_DAYS "
        "(365 days by default); absent, after NIAGARA_TOKEN_DAYS (90). Answered null for a "
        "token staff issued without an expiry.",
    )
    created = DateTimeField(read_only=True)
    last_used = DateTimeField(
        read_only=True, allow_null=True, help_text="Recorded at most every 15 minutes; null: never"
    )
    _links = HalLinksField({"self": "me/tokens/{obj.public_id}"})

    class Meta:
        model = PersonalToken
        fields = ["token_id", "label", "prefix", "expires", "created", "last_used", "_links"]

    def validate_expires(self, value):
        if value is None:
            return None
        now = timezone.now()
        latest = now + timedelta(days=settings.NIAGARA_TOKEN_MAX_DAYS)
        if value <= now:
            raise serializers.ValidationError(
                "should be in the future", code="formatExclusiveMinimum"
            )
        if value > latest:
            raise serializers.ValidationError(
                f"should be at most {settings.NIAGARA_TOKEN_MAX_DAYS} days from now",
                code="formatMaximum",
            )
        return value


class IssuedTokenSerializer(PersonalTokenSerializer):
    token = serializers.CharField(
        source="secret",
        read_only=True,
        help_text="The secret, for `Authorization: Bearer <token>`: answered this once only "
        "(Niagara keeps a digest)",
    )

    class Meta(PersonalTokenSerializer.Meta):
        fields = [*PersonalTokenSerializer.Meta.fields, "token"]


@extend_schema_view(
    list=extend_schema(
        summary="Fetch my API tokens",
        operation_id="fetchAllMyTokens",
        description="The caller's own personal API tokens, oldest first (never their secrets).",
    ),
    create=extend_schema(
        summary="Create an API token",
        operation_id="createMyToken",
        description="Issue the caller a new personal token; its secret is in this response "
        "only. Not to an OAuth2 client (403: a client's scopes must not grow into its user's "
        "whole access). At most 20 live tokens per person (409).",
        responses={201: IssuedTokenSerializer},
    ),
    retrieve=extend_schema(summary="Fetch my API token", operation_id="fetchMyTokenById"),
    destroy=extend_schema(
        summary="Revoke my API token",
        operation_id="revokeMyToken",
        description="The token stops working now (the token making this call may revoke itself).",
    ),
)
class MyTokensViewSet(
    CreateModelMixin,
    mixins.RetrieveModelMixin,
    DestroyModelMixin,
    mixins.ListModelMixin,
    NiagaraViewSet,
):
    collection = "tokens"
    serializer_class = PersonalTokenSerializer
    permission_classes = [IsAuthenticated]
    lookup_url_kwarg = "token_id"
    create_status = status.HTTP_201_CREATED
    conflict_methods = frozenset({"POST"})
    takes_requestor = False  # a person's own tokens: nobody acts for them here
    # A replayed create would answer the secret again, and the idempotency store would hold it
    # in plaintext: a retry issues another token instead (the first can be revoked).
    idempotent_actions = frozenset()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PersonalToken.objects.none()
        return PersonalToken.objects.filter(user=self.request.user).order_by("id")

    def create(self, request, *args, **kwargs):
        if request.auth is not None and not isinstance(request.auth, PersonalToken):
            raise PermissionDenied(
                "API tokens are issued to a person (signed in, or holding a personal token), "
                "not to an OAuth2 client."
            )
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = tokens.token_add(
            user=request.user,
            label=serializer.validated_data["label"],
            expires=serializer.validated_data.get("expires"),
        )
        token.secret = secret
        output = IssuedTokenSerializer(token, context=self.get_serializer_context())
        return Response(output.data, status=self.create_status)

    def perform_destroy(self, instance):
        tokens.token_revoke(instance)

"""The base viewset every Niagara resource uses.

Subclasses declare ``queryset``/``get_queryset``, ``serializer_class``, ``collection`` and the
service calls in ``perform_create``/``perform_update``/``perform_destroy``; paging, errors, status
codes and the re-read of written objects are handled here once.
"""

from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from .exceptions import NotFound
from .fields import ID_URL_PATTERN
from .pagination import KeysetPagination


def get_or_404(queryset, public_id: str):
    """Return the object with ``public_id`` or raise the documented 404 problem."""
    try:
        return queryset.get(public_id=public_id)
    except queryset.model.DoesNotExist:
        raise NotFound(f'A Resource with the id "{public_id}" was not found') from None


class NiagaraViewSet(viewsets.GenericViewSet):
    """Base for HAL collections: keyset-paged lists, public-id lookups, documented codes."""

    collection: str = ""
    lookup_field = "public_id"
    lookup_value_regex = ID_URL_PATTERN
    ordering: tuple[str, ...] = ("id",)
    http_method_names = ["get", "post", "put", "delete", "head", "options"]
    # Error codes documented in the OpenAPI schema beyond the ones every endpoint has.
    conflict_methods: frozenset[str] = frozenset()
    locked_methods: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.collection:
            cls.pagination_class = type(
                f"{cls.__name__}Pagination", (KeysetPagination,), {"collection": cls.collection}
            )

    def get_ordering(self) -> tuple[str, ...]:
        """Return the page order; it must end with the primary key (keyset paging)."""
        return self.ordering

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            raise NotFound(f'A Resource with the id "{lookup}" was not found') from None

    def reread(self, instance):
        """Return ``instance`` fetched again through the list queryset (counters included)."""
        return self.get_queryset().get(pk=instance.pk)


class CreateModelMixin:
    """Create through a service; answer 200 with the resource, as the Niagara docs do."""

    create_status = status.HTTP_200_OK

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create(serializer)
        output = self.get_serializer(self.reread(instance))
        return Response(output.data, status=self.create_status)

    def perform_create(self, serializer):
        raise NotImplementedError


class UpdateModelMixin:
    """Replace (PUT) through a service; PATCH is not part of the documented API."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_update(serializer)
        return Response(self.get_serializer(self.reread(instance)).data)

    def perform_update(self, serializer):
        raise NotImplementedError


class DestroyModelMixin:
    """Delete through a service; answer 205 Reset Content with no body."""

    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_205_RESET_CONTENT)

    def perform_destroy(self, instance):
        raise NotImplementedError


class ChildListViewSet(mixins.ListModelMixin, NiagaraViewSet):
    """A page of the children of one parent: ``/customers/{customer_id}/programs``.

    Declare ``queryset`` (the children), ``parent_queryset``, ``parent_kwarg`` (the URL
    parameter) and ``parent_field`` (the children's lookup of the parent). An unknown parent is a
    404, not an empty page.
    """

    parent_queryset = None
    parent_kwarg = ""
    parent_field = ""

    @property
    def parent(self):
        if not hasattr(self, "_parent"):
            self._parent = get_or_404(self.parent_queryset.all(), self.kwargs[self.parent_kwarg])
        return self._parent

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        return queryset.filter(**{self.parent_field: self.parent})


class ResourceViewSet(
    CreateModelMixin,
    mixins.RetrieveModelMixin,
    UpdateModelMixin,
    DestroyModelMixin,
    mixins.ListModelMixin,
    NiagaraViewSet,
):
    """A full collection: list, create, fetch, replace, delete — each write through a service.

    Declare ``create_service(*, actor, **fields)``, ``update_service(*, actor, <noun>, **fields)``
    and ``delete_service(*, actor, <noun>)``, where ``noun`` names the keyword that takes the
    object (``"program"``).
    """

    noun = ""
    create_service = update_service = delete_service = None

    # The services are plain functions stored on the class: read them from the class, where
    # they are not turned into methods.
    def perform_create(self, serializer):
        return type(self).create_service(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        return type(self).update_service(
            actor=self.request.user, **{self.noun: serializer.instance}, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        type(self).delete_service(actor=self.request.user, **{self.noun: instance})

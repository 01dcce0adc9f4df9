"""The base viewset every Niagara resource uses.

Subclasses declare ``queryset``/``get_queryset``, ``serializer_class``, ``collection`` and the
service calls in ``perform_create``/``perform_update``/``perform_destroy``; paging, errors, status
codes and the re-read of written objects are handled here once.
"""

from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from ..access import known_readable, visible
from ..requestor import act_for, stop_acting
from . import idempotency, rels
from .conditional import (
    WRITE_METHODS,
    PreconditionFailed,
    etag_of,
    if_match_fails,
    if_none_match_hits,
    not_modified,
)
from .exceptions import NotFound
from .fields import ID_URL_PATTERN
from .includes import INCLUDE, IncludesMixin
from .pagination import KeysetPagination
from .parsers import json_parser_for
from .query import ALWAYS_ALLOWED, PAGE_PARAMS, check_query
from .requestor import requestor_of


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
    # Writes may be made on behalf of a person (``Requestor-ID``; documented on them).
    takes_requestor = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.collection:
            rels.register_collection(cls.collection)
            cls.pagination_class = type(
                f"{cls.__name__}Pagination", (KeysetPagination,), {"collection": cls.collection}
            )

    # Actions a retry with the same ``Idempotency-Key`` must not repeat (every POST, and the
    # bulk ``PATCH /batches``).
    idempotent_actions = frozenset({"create", "bulk_create"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not hasattr(self, request.method.lower()):
            return  # dispatch answers 405 (with Allow) before anything is read
        check_query(request.query_params, self.allowed_query_params())
        # Reset in ``finalize_response``, which every request reaches (exceptions included).
        self._acting = act_for(requestor_of(request))
        self.idempotency = None
        key = request.headers.get(idempotency.HEADER)
        if key is not None and self.action in self.idempotent_actions:
            self.idempotency = (key, idempotency.begin(request, key))

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response()
        return super().handle_exception(exc)

    def allowed_query_params(self) -> set[str]:
        """Return the query parameters this request's endpoint reads: a list's paging and
        filters; nothing else."""
        allowed = set(ALWAYS_ALLOWED)
        if self.action == "retrieve" and getattr(self, "includes", None):
            allowed.add(INCLUDE)
        if self.action == "list":
            allowed |= PAGE_PARAMS
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def get_ordering(self) -> tuple[str, ...]:
        """Return the page order; it must end with the primary key (keyset paging)."""
        return self.ordering

    # Single entities are read and written with ETag semantics (see ``conditional``).
    conditional = True
    # Actions answering one entity: their responses carry its ETag.
    entity_actions = frozenset({"retrieve", "create", "update", "partial_update"})

    def get_object(self):
        """Return the entity of the URL; for a write, first take its write lock (a DELETE then
        checks ``If-Match``; a PUT or PATCH checks it once its body is valid, so an invalid
        body is a 400 whatever the entity's state)."""
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        writing = self.request.method in WRITE_METHODS
        if writing:
            self.lock_for_write(lookup)
        try:
            instance = super().get_object()
        except Http404:
            raise NotFound(f'A Resource with the id "{lookup}" was not found') from None
        if self.request.method == "DELETE":
            self.check_if_match(instance)
        return instance

    def check_create_permissions(self, validated_data) -> None:
        """Refuse (403) a create the caller may not do where the body puts the new entity:
        the permission classes that judge creates say ``has_create_permission``."""
        for permission in self.get_permissions():
            judge = getattr(permission, "has_create_permission", None)
            if judge is not None and not judge(self.request, self, validated_data):
                self.permission_denied(self.request, message=getattr(permission, "message", None))

    def check_if_match(self, instance) -> None:
        """Raise the 412 unless ``If-Match`` (if sent) names the entity's current ETag."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return  # the last writer wins: no need to render the entity for its ETag
        current = etag_of(self.get_serializer(instance).data)
        if if_match_fails(header, current):
            raise PreconditionFailed(current)

    def lock_for_write(self, lookup: str) -> None:
        """Lock the row about to be written (until the request's transaction ends), so that
        what ``If-Match`` is checked against cannot change before the write. Entities whose
        writes lock a parent first (batches and cycles: the work order) override this to take
        the same locks in the same order."""
        model = self.get_queryset().model
        rows = model.objects.select_for_update().filter(**{self.lookup_field: lookup})
        list(rows.values_list("pk", flat=True))

    def finalize_response(self, request, response, *args, **kwargs):
        try:
            return self._finalize_response(request, response, *args, **kwargs)
        finally:
            acting = self.__dict__.pop("_acting", None)
            if acting is not None:
                stop_acting(acting)

    def _finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "idempotency", None) and 200 <= response.status_code < 300:
            try:
                idempotency.finish(request, *self.idempotency, response)
            except idempotency.KeyInFlight as exc:
                self.idempotency = None
                return self.finalize_response(request, self.handle_exception(exc))
        if (
            getattr(self, "action", None) in self.entity_actions
            and response.status_code in (200, 201)
            and isinstance(getattr(response, "data", None), dict)
        ):
            etag = etag_of(response.data)
            if request.method in ("GET", "HEAD") and if_none_match_hits(
                request.headers.get("If-None-Match"), etag
            ):
                return not_modified(etag)
            response["ETag"] = etag
        return response

    def reread(self, instance):
        """Return ``instance`` fetched again through the list queryset (counters included)."""
        return self.get_queryset().get(pk=instance.pk)


class CreateModelMixin:
    """Create, answering 200 with the resource as the Niagara docs do.

    ``perform_create(serializer)`` is DRF's seam: it stores the object and leaves it on
    ``serializer.instance`` (as ``serializer.save()`` does); the answer re-reads it through the
    list queryset, counters included.
    """

    create_status = status.HTTP_200_OK

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.check_create_permissions(serializer.validated_data)
        self.perform_create(serializer)
        output = self.get_serializer(self.reread(serializer.instance))
        return Response(output.data, status=self.create_status)

    def perform_create(self, serializer):
        serializer.save()


MERGE_PATCH = "application/merge-patch+json"
MergePatchParser = json_parser_for(MERGE_PATCH)


def merge_patch(target, patch):
    """RFC 7396: ``patch`` applied to ``target`` (``null`` removes a member; an object merges
    member by member; anything else replaces).

    A ``null`` for a member the target does not have is kept rather than ignored, so that the
    result, validated as a PUT, refuses a name that cannot exist (``{"nope": null}`` is a 400,
    as ``{"nope": 1}`` is) instead of accepting it as a no-op."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None and key in merged:
            del merged[key]
        elif value is None:
            merged[key] = None
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


class UpdateModelMixin:
    """Replace (PUT), and change part of an entity with a JSON merge patch (``PATCH``,
    ``application/merge-patch+json``, RFC 7396): the patch is applied to the entity as it is
    answered, and the result is validated and stored exactly as a PUT of it would be (same
    service, same problems, ``If-Match`` honoured). ``perform_update`` is DRF's."""

    def update(self, request, *args, **kwargs):
        return self._replace(self.get_object(), request.data)

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        document = merge_patch(self.get_serializer(instance).data, request.data)
        return self._replace(instance, document)

    def _replace(self, instance, document):
        serializer = self.get_serializer(instance, data=document)
        serializer.is_valid(raise_exception=True)
        self.check_if_match(serializer.instance)
        self.perform_update(serializer)
        return Response(self.get_serializer(self.reread(serializer.instance)).data)

    # What a PATCH of one entity may be sent as (a resource may take plain JSON too).
    patch_parsers = (MergePatchParser,)

    def get_parsers(self):
        # A PATCH of one entity is a merge patch; every other write is JSON.
        request = getattr(self, "request", None)
        if request is not None and request.method == "PATCH" and self.patches_one_entity():
            return [parser() for parser in self.patch_parsers]
        return super().get_parsers()

    def patches_one_entity(self) -> bool:
        return (self.lookup_url_kwarg or self.lookup_field) in getattr(self, "kwargs", {})

    def perform_update(self, serializer):
        serializer.save()


class DestroyModelMixin:
    """Delete; answer 205 Reset Content with no body."""

    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_205_RESET_CONTENT)

    def perform_destroy(self, instance):
        instance.delete()


class ChildListViewSet(mixins.ListModelMixin, NiagaraViewSet):
    """A page of the children of one parent: ``/customers/{customer_id}/programs``.

    Declare ``queryset`` (the children, shaped for the serializer), ``parent_queryset``,
    ``parent_kwarg`` (the URL parameter) and ``parent_field`` (the children's lookup of the
    parent), or override ``children_of`` for anything else. An unknown parent is a 404, not an
    empty page.
    """

    parent_queryset = None
    parent_kwarg = ""
    parent_field = ""

    @property
    def parent(self):
        if not hasattr(self, "_parent"):
            self._parent = get_or_404(
                visible(self.request, self.parent_queryset.all()), self.kwargs[self.parent_kwarg]
            )
            # Links to it from its children need no second look.
            known_readable(self.request, self._parent)
        return self._parent

    def children_of(self, parent, queryset):
        """Return the rows of ``queryset`` that belong to ``parent``."""
        return queryset.filter(**{self.parent_field: parent})

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            # The schema generator has no URL parameters: there is no parent to look up.
            return queryset.none()
        return self.children_of(self.parent, queryset)


class MemberListViewSet(DestroyModelMixin, mixins.RetrieveModelMixin, ChildListViewSet):
    """People related to a parent, listed with it (a batch's or a location's technicians):
    each is fetched at its place in the list by whoever reads the parent, and removed from it
    (``perform_destroy``: the relation goes, never the person) with the permission
    ``action_permissions["destroy"]`` names on the parent. There is no ETag to match: it is the
    relation that changes. Declare ``lookup_url_kwarg`` (the member's id in the URL)."""

    conditional = False

    def get_object(self):
        member = get_or_404(self.get_queryset(), self.kwargs[self.lookup_url_kwarg])
        self.check_object_permissions(self.request, self.parent)
        return member


class ResourceViewSet(
    CreateModelMixin,
    IncludesMixin,
    mixins.RetrieveModelMixin,
    UpdateModelMixin,
    DestroyModelMixin,
    mixins.ListModelMixin,
    NiagaraViewSet,
):
    """A full collection: list, create, fetch, replace, delete — each write through a service.

    Declare the app's services and the dataclass of writable fields they take:
    ``create_service(*, actor, fields)``, ``update_service(obj, /, *, actor, fields)`` and
    ``delete_service(obj, /, *, actor)``, each wrapped in ``staticmethod``. A subclass may
    still override ``perform_create`` and friends the DRF way.
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    fields_class = None
    create_service = update_service = delete_service = None

    def write_fields(self, serializer):
        """Return the validated body as the services' dataclass of writable fields."""
        return self.fields_class(**serializer.validated_data)

    def perform_create(self, serializer):
        serializer.instance = self.create_service(
            actor=self.request.user, fields=self.write_fields(serializer)
        )

    def perform_update(self, serializer):
        serializer.instance = self.update_service(
            serializer.instance, actor=self.request.user, fields=self.write_fields(serializer)
        )

    def perform_destroy(self, instance):
        self.delete_service(instance, actor=self.request.user)

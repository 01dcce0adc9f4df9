"""``include=``: one entity with the first page of some of its sub-collections (seed 003).

``GET /customers/{id}?include=programs,contacts`` answers the customer with
``_embedded["nter:customer-programs"]`` and ``_embedded["nter:customer-contacts"]``: the first
``INCLUDED_ITEMS`` items of each, exactly as ``GET /customers/{id}/programs`` lists them (same
order, same representation, same rows the caller may read). The full collection stays behind
the entity's link of the same relation. Each included collection costs one page query (the
parent is the entity already read, and nothing is counted) plus the fixed lookups its list makes
per page for what its items embed — never a query per item.

Sub-collections are registered by the app that serves them (``add_include``), so an app never
reaches up to the apps above it.
"""

from drf_spectacular.utils import OpenApiParameter

from niagara.errors import InvalidData

from . import rels

INCLUDE = "include"
INCLUDED_ITEMS = 25  # the first page at the default limit


class IncludesMixin:
    """``retrieve`` with ``include=``; ``includes`` maps a name to (relation, child list view)."""

    includes: dict[str, tuple[str, type]] = {}

    @classmethod
    def add_include(cls, name: str, child_view: type, relation: str = "") -> None:
        """Offer ``child_view`` (a ``ChildListViewSet`` of this entity) as ``include=name``,
        embedded under the relation of the entity's link to it (``nter:customer-programs``)."""
        entity = cls.lookup_url_kwarg.removesuffix("_id").replace("_", "-")
        relation = relation or f"nter:{entity}-{name}"
        rels.register(
            relation,
            f"In a {entity.replace('-', ' ')}'s `_embedded` when asked with `include={name}`: "
            "the first page of what the link of the same relation leads to.",
        )
        cls.includes = {**cls.includes, name: (relation, child_view)}

    def included_names(self) -> list[str]:
        """The names ``include`` asks for, each once; an unknown one is a 400."""
        raw = self.request.query_params.get(INCLUDE)
        if raw is None:
            return []
        names = list(dict.fromkeys(name.strip() for name in raw.split(",") if name.strip()))
        unknown = [name for name in names if name not in self.includes]
        if unknown or not names:
            offered = ", ".join(sorted(self.includes)) or "nothing"
            raise InvalidData(
                [
                    {
                        "keyword": "enum",
                        "dataPath": f".{INCLUDE}",
                        "schemaPath": f"#/properties/{INCLUDE}",
                        "params": {"allowedValues": sorted(self.includes)},
                        "message": f"should name sub-collections of: {offered}",
                    }
                ],
                detail=f"Invalid query parameter '{INCLUDE}'"
                + (f": unknown {', '.join(unknown)}" if unknown else ""),
            )
        return names

    def retrieve(self, request, *args, **kwargs):
        names = self.included_names()
        response = super().retrieve(request, *args, **kwargs)
        if names:
            instance = self._included_parent
            embedded = dict(response.data.get("_embedded") or {})
            for name in names:
                relation, child_view = self.includes[name]
                embedded[relation] = self._first_page(child_view, instance)
            response.data["_embedded"] = embedded
        return response

    def get_object(self):
        self._included_parent = super().get_object()
        return self._included_parent

    def _first_page(self, child_view: type, parent) -> list:
        child = child_view(
            request=self.request,
            args=(),
            kwargs={child_view.parent_kwarg: parent.public_id},
            format_kwarg=None,
            action="list",
        )
        child._parent = parent  # read already (and readable): not looked up again
        child.check_permissions(self.request)
        paginator = child.paginator
        paginator.counting = False
        paginator.fixed_limit = INCLUDED_ITEMS
        page = child.list(self.request).data
        return page["_embedded"][f"nter:{child.collection}"]


def include_parameter(view) -> OpenApiParameter | None:
    """The documented ``include`` of ``view``'s fetch, if it offers any."""
    names = sorted(getattr(view, "includes", {}))
    if not names:
        return None
    one = "|".join(names)
    return OpenApiParameter(
        INCLUDE,
        location=OpenApiParameter.QUERY,
        required=False,
        pattern=rf"^ *({one}) *(, *({one}) *)*$",
        description="Comma-separated sub-collections to embed, each as the first "
        f"{INCLUDED_ITEMS} items of its list (follow the entity's link of the same relation "
        f"for the rest): {', '.join(names)}. An unknown name is a 400.",
    )

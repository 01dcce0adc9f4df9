"""The API's link relations (``nter:…``) and their docs pages, which the root's ``curies`` name.

Every relation the API renders is registered where it is declared — a resource's ``_links``
(``HalLinksField``), its ``_embedded`` parents (``EmbeddedEntitiesField``), a collection's pages
(``NiagaraViewSet.collection``), a relation's other end (the entity registry) — so a relation
cannot be rendered without a page that explains it: ``GET /api/rels/{rel}`` (no token: it
documents the API, not the shop's data).
"""

import re
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

PREFIX = "nter"


@dataclass
class Rel:
    name: str  # without the prefix: "batch-queue"
    sentences: list[str] = field(default_factory=list)
    targets: set[str] = field(default_factory=set)  # "/api/queues/{queue_id}"


CATALOGUE: dict[str, Rel] = {}


def _rel(name: str) -> Rel | None:
    prefix, _, short = name.partition(":")
    if prefix != PREFIX or not short:
        return None  # "self", "next", …: IANA's, not ours
    return CATALOGUE.setdefault(short, Rel(short))


def _say(rel: Rel, sentence: str) -> None:
    if sentence not in rel.sentences:
        rel.sentences.append(sentence)


def _target(template: str) -> str:
    """``"queues/{obj.queue.public_id}/batches"`` → ``"/api/queues/{queue_id}/batches"``."""
    parts = template.split("/")
    named = []
    for index, part in enumerate(parts):
        if part.startswith("{"):
            collection = parts[index - 1] if index else "entity"
            part = "{" + _singular(collection).replace("-", "_") + "_id}"
        named.append(part)
    return "/api/" + "/".join(named)


def _singular(collection: str) -> str:
    for plural, singular in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("s", "")):
        if collection.endswith(plural):
            return collection.removesuffix(plural) + singular
    return collection


def _html(sentence: str) -> str:
    """A sentence with its `code` spans, escaped."""
    return mark_safe(re.sub(r"`([^`]+)`", r"<code>\1</code>", escape(sentence)))


_SEEN_LINKS: set[tuple] = set()


def register_links(links: dict[str, str], *, detail: bool = False) -> None:
    """Record the relations of a resource's ``_links`` (rel → href template). A field is made
    again whenever DRF copies it: each declaration is read once."""
    key = (tuple(links.items()), detail)
    if key in _SEEN_LINKS:
        return
    _SEEN_LINKS.add(key)
    own = _target(links["self"]) if links.get("self") else "a resource"
    for name, template in links.items():
        rel = _rel(name)
        if rel is None:
            continue
        where = "its own GET" if detail else "its representation"
        _say(rel, f"A link from `{own}`, in {where}, to `{_target(template)}`.")
        rel.targets.add(_target(template))


def register_embedded(name: str, path: str, owner: str) -> None:
    """Record an ``_embedded`` parent: ``owner``'s ``path`` (``work_order.project``)."""
    rel = _rel(name)
    if rel is not None:
        parent = path.rsplit(".", 1)[-1].replace("_", " ")
        _say(
            rel,
            f"In {owner}'s `_embedded`: its {parent}, as a one-item array (empty when there is "
            "none or the caller may not read it); whole in the resource's own GET, a summary "
            "(id, label, self link) in a list's items.",
        )


def register_collection(collection: str) -> None:
    """Record a collection: its pages embed their items under ``nter:{collection}``."""
    rel = _rel(f"{PREFIX}:{collection}")
    _say(
        rel,
        f"A page of {collection.replace('-', ' ')}: the items are in `_embedded` under this "
        "relation; `_links.next` leads to the next page.",
    )


def register_entity(kind: str, collection: str) -> None:
    """Record a relation's link to its other end, an entity of ``kind``."""
    rel = _rel(f"{PREFIX}:{kind}")
    _say(rel, f"In a relation's `_links`: the related {kind.replace('-', ' ')}.")
    rel.targets.add(f"/api/{collection}/{{id}}")


def register(name: str, sentence: str, *targets: str) -> None:
    rel = _rel(name)
    _say(rel, sentence)
    rel.targets.update(targets)


@require_safe
def rel_page(request, rel: str):
    """``GET /api/rels/{rel}``: what a link relation means and where it leads."""
    found = CATALOGUE.get(rel)
    if found is None:
        raise Http404(f'No link relation "{PREFIX}:{rel}"')
    context = {
        "prefix": PREFIX,
        "name": found.name,
        "sentences": [_html(sentence) for sentence in found.sentences],
        "targets": sorted(found.targets),
    }
    return render(request, "api/rel.html", context)


@require_safe
def rel_index(request):
    """``GET /api/rels/``: every link relation the API renders."""
    rels = [CATALOGUE[name] for name in sorted(CATALOGUE)]
    return render(request, "api/rels.html", {"prefix": PREFIX, "rels": rels})

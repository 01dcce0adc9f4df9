"""HAL: a client that starts at ``GET /api/`` and follows links alone reaches every ``GET``
operation of the published schema; every link it follows answers; every ``_embedded`` member
carries its ``self``; and every ``nter:`` relation it meets is explained by the page the root's
``curies`` name (public, like the docs)."""

import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from actions.models import Notification
from actions.services import ActionFields, action_create
from relations.registry import entities
from relations.services import relation_create
from tests.contract.shop import ACTION_EVENTS, _notify, build
from tests.factories import (
    LocationFactory,
    ManufacturerFactory,
    QueueFactory,
    UserFactory,
    make_workflow,
)
from tests.tenancy import plant
from users.models import User
from users.tokens import token_add

# Registered by the test settings' own app alone: it serves no resource of its own to link to.
TEST_ONLY = "/api/gadgets/"
# Visits of one operation beyond which the crawl stops following links to it (pages of the
# same list, one more unit…): bounded, yet every operation is reached through real data.
VISITS_PER_OPERATION = 3
MAX_REQUESTS = 1_000
# Lists of values, not of resources: the docs' status objects are closed (no ``_links``).
VALUE_LISTS = frozenset({"nter:settings-statuses"})


def _get_operations() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [path for path, item in schema["paths"].items() if "get" in item]


def _matcher(paths: list[str]):
    # The most specific template first: ``/contexts/{id}/diff`` before ``/contexts/{id}/{step}``.
    compiled = sorted(
        ((re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p) for p in paths),
        key=lambda pair: pair[1].count("{"),
    )

    def match(path: str) -> str | None:
        return next((template for regex, template in compiled if regex.match(path)), None)

    return match


def _expand(href: str, ids: dict[str, str]) -> str:
    """An RFC 6570 template filled with ids seen so far (its query part left empty)."""
    href = re.sub(r"\{[?&][^}]*\}", "", href)
    return re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "unknown"), href)


class Crawl:
    def __init__(self, client, match):
        self.client, self.match = client, match
        self.reached: Counter = Counter()
        self.ids: dict[str, str] = {}
        self.rels: set[str] = set()
        self.without_self: list[str] = []
        self.broken: list[tuple[str, int]] = []
        self.curies: list[dict] = []
        self.labels: set[str] = set()
        self.requests = 0

    def run(self, start: str):
        queue, visited = deque([(start, None)]), set()
        while queue and self.requests < MAX_REQUESTS:
            url, referrer = queue.popleft()
            if url in visited:
                continue
            visited.add(url)
            self.requests += 1
            response = self.client.get(url)
            if response.status_code != 200:
                self.broken.append((url, response.status_code, referrer))
                continue
            template = self.match(urlsplit(url).path)
            if template:
                self.reached[template] += 1
            if "json" not in response["Content-Type"]:
                continue  # a file's bytes (a download): reached, and no links in it
            body = response.json()
            self.curies += body.get("_links", {}).get("curies", [])
            for href in self._links(body):
                split = urlsplit(_expand(href, self.ids))
                target = self.match(split.path)
                if target and target != template and self.reached[target] >= VISITS_PER_OPERATION:
                    continue
                queue.append((split.path + (f"?{split.query}" if split.query else ""), url))

    def _links(self, node):
        if isinstance(node, list):
            for item in node:
                yield from self._links(item)
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key.endswith("_id") and isinstance(value, str):
                self.ids.setdefault(key, value)
            if key == "label" and isinstance(value, str):
                self.labels.update(value.split())
            if key == "_links" and isinstance(value, dict):
                for rel, links in value.items():
                    self.rels.add(rel)
                    for link in links if isinstance(links, list) else [links]:
                        if rel != "curies":
                            yield link["href"]
            elif key == "_embedded" and isinstance(value, dict):
                for rel, members in value.items():
                    self.rels.add(rel)
                    for member in members if isinstance(members, list) else [members]:
                        own = member.get("_links", {}).get("self", {}).get("href")
                        if not own and rel not in VALUE_LISTS:
                            self.without_self.append(rel)
                        yield from self._links(member)
            else:
                yield from self._links(value)


@pytest.fixture
def floor(db):
    shop = build()
    integrator = UserFactory(username="integrator", is_superuser=True, is_staff=True)
    _token, secret = token_add(user=integrator, label="crawler")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # Something in every list the crawl can only reach through data: a relation of each
    # entity, a change in a batch's history.
    someone = User.objects.get(username="contract-other")
    for name in (
        "contact",
        "location",
        "manufacturer",
        "vendor",
        "resource",
        "sub_resource",
        "note",
        "part",
        "program",
        "project",
        "queue",
        "role",
        "workflow",
        "work_order",
        "unit",
        "customer",
        "batch",
        "context",
        "action",
    ):
        relation_create(subject=someone, obj=shop["objects"][name], relation="collaborator")
    # An action on each kind that has them (each listed at its entity).
    for name in (
        "contact", "customer", "location", "manufacturer", "part", "program", "project",
        "resource", "sub_resource", "unit", "user", "work_order",
    ):  # fmt: skip
        target = shop["objects"][name]
        code = entities.of(target).code
        action_create(
            actor=None,
            fields=ActionFields(
                label=f"On {name}",
                event=ACTION_EVENTS.get(code, "CYC.status-changed"),
                effect=[_notify(shop["objects"]["user"])],
                target=target,
            ),
        )
    # The integrator's own: a notification, and a report made before.
    Notification.objects.create(recipient=integrator, label="Hello", key="crawl")
    made = client.post(
        "/api/reports",
        {"base_entity": "BAT", "core_fields": {"fields": ["batch_id"]}},
        format="json",
    )
    assert made.status_code == 201, made.content
    objects = shop["objects"]
    relation_create(subject=objects["contact"], obj=objects["customer"], relation="contact")
    relation_create(subject=objects["user"], obj=objects["location"], relation="tech")
    renamed = client.patch(
        f"/api/batches/{shop['ids']['batch']}",
        '{"label": "Renamed"}',
        content_type="application/merge-patch+json",
    )
    assert renamed.status_code == 200, renamed.content
    return client


def test_every_get_operation_is_reached_by_following_links(floor):
    operations = [path for path in _get_operations() if not path.startswith(TEST_ONLY)]
    crawl = Crawl(floor, _matcher(operations))
    crawl.run("/api/")
    unreached = [path for path in operations if path not in crawl.reached]
    assert not unreached, f"{len(unreached)} of {len(operations)} GET operations unreached"
    assert not crawl.broken, f"links that do not answer 200: {crawl.broken[:10]}"
    assert crawl.requests < MAX_REQUESTS


def test_every_embedded_member_has_self_and_every_rel_its_docs_page(floor):
    crawl = Crawl(floor, _matcher(_get_operations()))
    crawl.run("/api/")
    assert not crawl.without_self, Counter(crawl.without_self)
    assert crawl.curies == [
        {"name": "nter", "href": "http://testserver/api/rels/{rel}", "templated": True}
    ]
    ours = sorted(rel for rel in crawl.rels if rel.startswith("nter:"))
    assert len(ours) > 50
    anonymous = APIClient()  # the docs pages are public, as the schema is
    for rel in ours:
        page = anonymous.get(crawl.curies[0]["href"].replace("{rel}", rel.removeprefix("nter:")))
        assert page.status_code == 200, rel
        assert page["Content-Type"].startswith("text/html")
        assert rel.encode() in page.content
    index = anonymous.get("/api/rels/")
    assert index.status_code == 200
    assert all(
        f'href="/api/rels/{rel.removeprefix("nter:")}"'.encode() in index.content for rel in ours
    )
    assert anonymous.get("/api/rels/no-such-relation").status_code == 404


@pytest.fixture
def two_customers(db):
    shared = {
        "workflow": make_workflow(label="Provision"),
        "manufacturer": ManufacturerFactory(label="Apple"),
        "shared_queue": QueueFactory(location=LocationFactory(label="Albany hub"), label="Shared"),
    }
    return plant("Acme", people=("maria", "tess"), **shared), plant(
        "Globex", people=("greg", "gail"), **shared
    )


@pytest.mark.parametrize("who", ["manager", "technician"])
def test_a_customers_people_follow_only_links_that_answer(two_customers, who):
    """A link to what the caller may not read is left out, never a 403 or 404 to stumble on;
    and following links never leads into the other customer's floor."""
    acme, _globex = two_customers
    person = getattr(acme, who)
    _token, secret = token_add(user=person, label="crawler")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    crawl = Crawl(client, _matcher(_get_operations()))
    crawl.run("/api/")
    assert not crawl.broken, f"links that do not answer 200: {crawl.broken[:10]}"
    assert not crawl.without_self
    assert "Globex" not in crawl.labels
    assert len(crawl.reached) > 10


def test_a_batchs_technicians_cost_the_same_queries_for_one_and_many(two_customers):
    """The members' page, as the customer's manager reads it (links to the people they may not
    open left out): its queries do not grow with the technicians listed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from batches.models import Batch
    from batches.services import batches_assign

    acme, _globex = two_customers
    batch = Batch.objects.filter(label__startswith="Acme").first()
    _token, secret = token_add(user=acme.manager, label="counting")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/batches/{batch.public_id}/techs"
    client.get(url)  # the per-process caches

    counts = []
    for more in (0, 5):
        for n in range(more):
            batches_assign([batch], actor=None, tech=UserFactory(username=f"tech-{n}"))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).json()
        counts.append((len(page["_embedded"]["nter:users"]), len(queries.captured_queries)))
    assert counts[1][0] >= counts[0][0] + 5
    assert counts[0][1] == counts[1][1], counts
    for tech in page["_embedded"]["nter:users"]:
        assert tech["_links"]["self"]["href"].endswith(f"{url}/{tech['user_id']}")
        assert "nter:user" not in tech["_links"]  # the manager may not open people

"""The generic resource test base: a resource declares itself, the base checks the contract.

A subclass of ``ResourceContract`` (named ``Test…`` so pytest collects it) declares its URLs,
how to make a row, a valid body, invalid bodies with the failure each must report, its link
relations and its permission codenames. Every Niagara resource then gets, without writing them
again: list / retrieve / create / replace / delete, 401, 403, 404, the HAL envelope, every
``_links`` href answering 200, an invalid body answered by a problem that changes no row, and a
list whose query count does not grow from ``limit=1`` to ``limit=100``.
"""

import json

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.helpers import assert_problem, assert_status, client_for, client_with

PAGE_KEYS = {"total_count", "limit", "offset", "_embedded", "_links"}


def send(client, method: str, url: str, body: dict | None = None):
    payload = json.dumps(body) if body is not None else None
    return getattr(client, method)(url, payload, content_type="application/json")


@pytest.mark.django_db
class ResourceContract:
    """Declare the class attributes and ``make``; override the URL and body hooks as needed."""

    model = None  # the Django model behind the resource
    id_field = ""  # "customer_id"
    embedded_key = ""  # "nter:customers"
    permission = ""  # "customer:%s": the graph's read/create/update/delete
    link_rels: frozenset[str] = frozenset()
    # Links of the resource's own GET only (not of its items in a list): a registered entity's
    # relations and history, and what a class adds.
    detail_link_rels: frozenset[str] = frozenset({"nter:relations", "nter:diff"})
    # (changes to the valid body, keyword, dataPath) the API must report.
    invalid_bodies: list[tuple[dict, str, str]] = []
    # What a body may reference needs reading: ("customer:read",) for a program.
    referenced_permissions: tuple[str, ...] = ()
    can_create = can_replace = can_delete = True
    create_status, delete_status = 200, 205
    update_method = "put"
    rows_for_paging = 4

    # -- what a resource declares -------------------------------------------------------------

    def make(self):
        """Store one row (through the app's services or factories) and return it."""
        raise NotImplementedError

    def list_url(self, obj) -> str:
        raise NotImplementedError

    def child_list_urls(self, obj) -> list[str]:
        """Other lists ``obj`` appears in (``/customers/{id}/programs`` …)."""
        return []

    def public_id(self, obj) -> str:
        return obj.public_id

    def detail_url(self, obj) -> str:
        raise NotImplementedError

    def create_url(self, obj) -> str:
        return self.list_url(obj)

    def valid_body(self, obj) -> dict:
        """A body that creates a new row (``obj`` is a stored row to borrow parents from)."""
        raise NotImplementedError

    def changed(self, fetched: dict) -> dict:
        """The body of a replace that changes something (default: the fetched body as is)."""
        return fetched

    def rows(self):
        """The rows an invalid body must leave untouched."""
        return sorted(
            (model_to_dict(row) for row in self.model._default_manager.all()),
            key=lambda row: row["id"],
        )

    def perm(self, action: str) -> str:
        return self.permission % action

    # -- the contract -------------------------------------------------------------------------

    def test_lists_are_hal_pages(self, api):
        obj = self.make()

        for url in [self.list_url(obj), *self.child_list_urls(obj)]:
            response = api.get(url)
            assert_status(response, 200)
            page = response.json()
            assert set(page) >= PAGE_KEYS, url
            assert page["total_count"] >= 1
            assert page["_links"]["self"]["href"].endswith(url)
            items = page["_embedded"][self.embedded_key]
            assert self.public_id(obj) in {item[self.id_field] for item in items}, url

    def test_retrieve_answers_the_resource_with_its_links(self, api):
        obj = self.make()

        response = api.get(self.detail_url(obj))

        assert_status(response, 200)
        body = response.json()
        assert body[self.id_field] == self.public_id(obj)
        assert set(body["_links"]) == set(self.link_rels) | set(self.detail_link_rels)
        assert body["_links"]["self"]["href"].endswith(self.detail_url(obj))

    def test_every_link_answers(self, api):
        obj = self.make()
        body = api.get(self.detail_url(obj)).json()

        for rel, link in body["_links"].items():
            response = api.get(link["href"])
            assert response.status_code == 200, f"{rel} → {link['href']}: {response.status_code}"

    def test_create_answers_the_stored_resource(self, api):
        if not self.can_create:
            pytest.skip("not created through this API")
        obj = self.make()
        before = self.model._default_manager.count()

        response = send(api, "post", self.create_url(obj), self.valid_body(obj))

        assert_status(response, self.create_status)
        created = response.json()
        assert self.model._default_manager.count() == before + 1
        assert api.get(created["_links"]["self"]["href"]).json() == created

    def test_replace_round_trips(self, api):
        if not self.can_replace:
            pytest.skip("not replaced through this API")
        obj = self.make()
        fetched = api.get(self.detail_url(obj)).json()
        body = self.changed(json.loads(json.dumps(fetched)))

        response = send(api, self.update_method, self.detail_url(obj), body)

        assert_status(response, 200)
        assert response.json() == api.get(self.detail_url(obj)).json()

    def test_delete_answers_205_then_404(self, api):
        if not self.can_delete:
            pytest.skip("not deleted through this API")
        obj = self.make()
        before = self.model._default_manager.count()

        assert_status(api.delete(self.detail_url(obj)), self.delete_status)
        assert_status(api.get(self.detail_url(obj)), 404)
        assert self.model._default_manager.count() == before - 1

    def test_anonymous_callers_get_401(self):
        obj = self.make()
        anonymous = APIClient()

        for url in (self.list_url(obj), self.detail_url(obj)):
            response = anonymous.get(url)
            assert_status(response, 401)
            assert response.json()["status"] == 401

    def test_reading_needs_the_read_permission(self):
        obj = self.make()

        stranger = client_with()
        assert_status(stranger.get(self.detail_url(obj)), 404)
        listed = stranger.get(self.list_url(obj))
        if listed.status_code == 200:  # a list answers what the caller may read
            assert self.public_id(obj) not in self.listed_ids(listed)
        else:  # …under a parent the caller may not read: not found either
            assert_status(listed, 404)
        reader = client_with(*self.read_permissions())
        assert_status(reader.get(self.detail_url(obj)), 200)
        listed = reader.get(self.list_url(obj))
        assert_status(listed, 200)
        assert self.public_id(obj) in self.listed_ids(listed)

    def test_a_grant_on_a_sibling_reads_nothing_here(self):
        # The read permission, held on another customer (or location): not found here.
        obj = self.make()
        sibling = self.sibling_root()
        if sibling is None:
            pytest.skip("not below a customer or a location")
        elsewhere = client_with(*self.read_permissions(), on=sibling)
        assert_status(elsewhere.get(self.detail_url(obj)), 404)

    def sibling_root(self):
        """A new customer or location, beside the one ``make()``'s row is under."""
        from relations.registry import entities
        from tests.factories import CustomerFactory, LocationFactory

        model = self.model
        through = getattr(self, "graph_through", "")
        if through:
            model = model._meta.get_field(through).related_model
        kind = entities.for_model(model)
        above = {kind.kind, *kind.ancestors} if kind else set()
        if "customer" in above:
            return CustomerFactory()
        if "location" in above:
            return LocationFactory()
        return None

    def listed_ids(self, response) -> list[str]:
        return [row[self.id_field] for row in response.json()["_embedded"][self.embedded_key]]

    def read_permissions(self) -> tuple[str, ...]:
        return (self.perm("read"),)

    def test_writing_needs_the_write_permissions(self):
        obj = self.make()
        reader = client_with(*self.read_permissions(), *self.referenced_permissions)
        before = self.rows()

        if self.can_create:
            refused = send(reader, "post", self.create_url(obj), self.valid_body(obj))
            assert_problem(refused, 403, "Forbidden")
        if self.can_replace:
            fetched = reader.get(self.detail_url(obj)).json()
            assert_status(send(reader, self.update_method, self.detail_url(obj), fetched), 403)
        if self.can_delete:
            assert_status(reader.delete(self.detail_url(obj)), 403)
        assert self.rows() == before
        if self.can_create:
            writer = client_with(
                *self.read_permissions(), *self.referenced_permissions, self.perm("create")
            )
            created = send(writer, "post", self.create_url(obj), self.valid_body(obj))
            assert_status(created, self.create_status)
        if self.can_replace:
            writer = client_with(*self.read_permissions(), self.perm("update"))
            fetched = writer.get(self.detail_url(obj)).json()
            replaced = send(writer, self.update_method, self.detail_url(obj), fetched)
            assert_status(replaced, 200)
        if self.can_delete:
            deleter = client_with(*self.read_permissions(), self.perm("delete"))
            assert_status(deleter.delete(self.detail_url(obj)), self.delete_status)

    def test_unknown_ids_are_404_problems(self, api):
        obj = self.make()
        url = self.detail_url(obj).replace(self.public_id(obj), "no-such-id")

        response = api.get(url)

        assert_status(response, 404)
        assert response.json()["title"] == "Not Found"

    def test_invalid_bodies_are_problems_that_change_nothing(self, api, invalid_case):
        changes, keyword, data_path = invalid_case
        obj = self.make()
        before = self.rows()
        attempts = []
        if self.can_create:
            attempts.append(("post", self.create_url(obj), {**self.valid_body(obj), **changes}))
        if self.can_replace:
            fetched = api.get(self.detail_url(obj)).json()
            attempts.append((self.update_method, self.detail_url(obj), {**fetched, **changes}))

        for method, url, body in attempts:
            response = send(api, method, url, body)
            assert_status(response, 400)
            found = {(m["keyword"], m["dataPath"]) for m in response.json()["validation_messages"]}
            assert (keyword, data_path) in found, f"{method} {url}: {found}"
        assert self.rows() == before

    @pytest.mark.parametrize("caller", ["superuser", "reader"])
    def test_list_queries_do_not_grow_with_the_page(self, api, caller):
        rows = [self.make() for _ in range(self.rows_for_paging)]
        # A reader holds the read permission (and what it requires) everywhere, and a grant on
        # an unrelated customer: the permission filter is on, and costs the same on any page.
        client = api
        if caller == "reader":
            from tests.factories import CustomerFactory
            from tests.helpers import holder_of

            user = holder_of(*self.read_permissions())
            client = client_for(holder_of("customer:read", on=CustomerFactory(), user=user))
        for url in [self.list_url(rows[0]), *self.child_list_urls(rows[0])]:
            client.get(url)  # warm the per-process caches (content types, …)
            counts = []
            for limit in (1, 100):
                with CaptureQueriesContext(connection) as queries:
                    page = client.get(f"{url}?limit={limit}").json()
                counts.append(len(queries.captured_queries))
            assert len(page["_embedded"][self.embedded_key]) >= 2, f"{url}: one row is no page"
            assert counts[0] == counts[1], f"{url}: {counts}"

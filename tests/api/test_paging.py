"""Keyset paging: the envelope, limits, cursors and stability under concurrent inserts."""

import pytest

from tests.factories import ContactFactory, CustomerFactory
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def walk(api, url):
    """Follow ``next`` links from ``url``; return every page."""
    pages = []
    while url:
        response = api.get(url)
        assert_status(response, 200)
        pages.append(response.json())
        url = pages[-1]["_links"].get("next", {}).get("href")
    return pages


def ids(page):
    return [item["customer_id"] for item in page["_embedded"]["nter:customers"]]


def test_default_limit_is_25(api):
    CustomerFactory.create_batch(26)

    page = api.get("/api/customers").json()

    assert page["limit"] == 25
    assert len(ids(page)) == 25
    assert page["total_count"] == 26


def test_walking_every_page_yields_each_row_once_in_order(api):
    customers = CustomerFactory.create_batch(57)

    pages = walk(api, "/api/customers?limit=10")

    assert len(pages) == 6
    seen = [customer_id for page in pages for customer_id in ids(page)]
    assert seen == [c.public_id for c in customers]
    assert all(page["total_count"] == 57 for page in pages)
    assert pages[-1]["offset"] is None
    assert all(page["offset"] for page in pages[:-1])


def test_rows_inserted_between_pages_neither_repeat_nor_skip_rows(api):
    before = CustomerFactory.create_batch(4)
    first = api.get("/api/customers?limit=2").json()

    added = CustomerFactory.create_batch(3)
    rest = walk(api, first["_links"]["next"]["href"])

    seen = ids(first) + [i for page in rest for i in ids(page)]
    assert seen == [c.public_id for c in before + added]


def test_rows_deleted_between_pages_do_not_break_the_cursor(api):
    customers = CustomerFactory.create_batch(4)
    first = api.get("/api/customers?limit=2").json()

    customers[1].delete()
    second = api.get(first["_links"]["next"]["href"]).json()

    assert ids(second) == [c.public_id for c in customers[2:]]


@pytest.mark.parametrize(
    ("limit", "keyword"),
    [("0", "minimum"), ("101", "maximum"), ("-3", "minimum"), ("ten", "type"), ("2.5", "type")],
)
def test_limit_outside_1_to_100_is_a_400_problem(api, limit, keyword):
    response = api.get(f"/api/customers?limit={limit}")

    assert_status(response, 400)
    assert response["Content-Type"] == "application/problem+json"
    [message] = response.json()["validation_messages"]
    assert (message["keyword"], message["dataPath"]) == (keyword, ".limit")


@pytest.mark.parametrize("limit", ["1", "100"])
def test_limit_bounds_are_accepted(api, limit):
    assert_status(api.get(f"/api/customers?limit={limit}"), 200)


def test_malformed_or_forged_offset_is_a_400_problem(api):
    CustomerFactory.create_batch(3)
    cursor = api.get("/api/customers?limit=1").json()["offset"]
    forged = cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")

    for offset in ["garbage", forged, "1", cursor + "x"]:
        response = api.get(f"/api/customers?limit=1&offset={offset}")
        assert_status(response, 400)
        [message] = response.json()["validation_messages"]
        assert message["dataPath"] == ".offset"


def test_a_cursor_from_another_collection_is_rejected(api):
    customer = CustomerFactory()
    ContactFactory.create_batch(2, customers=[customer])
    contacts_cursor = api.get(f"/api/customers/{customer.public_id}/contacts?limit=1").json()[
        "offset"
    ]

    response = api.get(f"/api/customers?offset={contacts_cursor}")

    assert_status(response, 400)


def test_a_deep_page_costs_the_same_queries_as_the_first(api, django_assert_max_num_queries):
    CustomerFactory.create_batch(60)
    pages = walk(api, "/api/customers?limit=5")
    deep_url = f"/api/customers?limit=5&offset={pages[-2]['offset']}"

    with django_assert_max_num_queries(5) as first:
        api.get("/api/customers?limit=5")
    with django_assert_max_num_queries(5) as deep:
        api.get(deep_url)
    assert len(first.captured_queries) == len(deep.captured_queries)

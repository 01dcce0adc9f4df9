"""Admin lists over millions of rows: one bounded count per page (estimated past it on
PostgreSQL), no count of the whole table, no per-row subquery, no filter reading the table."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batches.services import batches_create
from relations.services import relation_create
from tests.factories import QueueFactory, make_work_order, make_workflow
from users.roles import FloorRole
from users.services import user_create

pytestmark = pytest.mark.django_db

LISTS = ["/admin/batches/batch/", "/admin/batches/cycle/"]


@pytest.fixture
def floor():
    work_order = make_work_order(cycles=[(24, make_workflow())])
    batches = batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=2, total=12
    )
    tech = user_create(username="tess", role=FloorRole.TECHNICIAN)
    for batch in batches[:6]:
        relation_create(subject=tech, obj=batch, relation="tech")
    return batches


def _unbounded(queries) -> list[str]:
    """The counts that read every matching row: neither bounded (LIMIT) nor of a page (IN)."""
    counts = [q["sql"] for q in queries if re.search(r"\bCOUNT\(", q["sql"])]
    return [sql for sql in counts if "LIMIT" not in sql and " IN (" not in sql]


@pytest.mark.parametrize("url", LISTS)
def test_a_list_counts_at_most_a_bound_of_rows(manager, floor, url):
    with (
        mock.patch("niagara.admin_paging.EXACT_UP_TO", 5),
        CaptureQueriesContext(connection) as page,
    ):
        response = manager.get(url)

    assert response.status_code == 200
    changelist = response.context["cl"]
    # Past the bound: PostgreSQL's estimate ("about …"); SQLite has none and counts them all.
    assert changelist.full_result_count is None, "the whole table is never counted"
    if connection.vendor == "postgresql":
        assert changelist.paginator.estimated
        assert f"about {changelist.result_count}" in response.text
        assert _unbounded(page.captured_queries) == [], "every count is bounded or of the page"
    else:
        assert changelist.result_count == len(changelist.queryset)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_under_the_bound_counts_exactly(manager, floor, url):
    with CaptureQueriesContext(connection) as page:
        response = manager.get(url)

    changelist = response.context["cl"]
    assert not changelist.paginator.estimated
    assert changelist.result_count == (12 if "batch/" in url else 24)
    assert "about" not in response.text.split('class="paginator"')[1][:200]
    assert _unbounded(page.captured_queries) == []


def test_the_batch_list_counts_cycles_of_its_page_only(manager, floor):
    with CaptureQueriesContext(connection) as page:
        response = manager.get("/admin/batches/batch/")

    first_row = response.context["cl"].result_list[0]
    assert first_row.cycle_count == 2
    grouped = [q["sql"] for q in page.captured_queries if "GROUP BY" in q["sql"]]
    assert grouped and all(" IN (" in sql for sql in grouped), "grouped by the page's batches"


@pytest.mark.parametrize("url", LISTS)
def test_filters_offer_their_choices_without_reading_the_listed_table(manager, floor, url):
    table = "batches_batch" if "batch/" in url else "batches_cycle"
    with CaptureQueriesContext(connection) as page:
        manager.get(url)

    # The listed table is read for the page and its bounded count, nothing else.
    reads = [q["sql"] for q in page.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) <= 2 + (1 if table == "batches_batch" else 0), reads


def test_the_batch_search_finds_by_label_id_and_work_order(manager, floor):
    other = make_work_order(label="Kiosk refresh", cycles=[(1, make_workflow(label="Other"))])
    [kiosk] = batches_create(
        actor=None, work_order=other, queue=QueueFactory(), number_cycles=1, total=1
    )

    def found(term):
        return {
            b.pk
            for b in manager.get("/admin/batches/batch/", {"q": term}).context["cl"].result_list
        }

    assert found("kiosk") == {kiosk.pk}, "by the work order's label"
    assert found(kiosk.public_id) == {kiosk.pk}, "by the whole id"
    assert found(floor[0].label.split(" · ")[1]) >= {floor[0].pk}, "by a word of the label"
    assert found("kiosk nothing-like-this") == set()
    assert found("  Kiosk   refresh ") == {kiosk.pk}, "a phrase, its spaces as typed or not"

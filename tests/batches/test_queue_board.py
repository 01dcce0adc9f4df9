"""The queue board at size: a page of batches in processing order, the same queries whatever
the queue holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from batches.admin_floor import BOARD_PAGE
from batches.models import Batch
from batches.services import batches_create
from tests.factories import QueueFactory, make_work_order, make_workflow

pytestmark = pytest.mark.django_db


def fill(queue, total):
    work_order = make_work_order(cycles=[(total, make_workflow())])
    batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=1, total=total)


def board(manager, queue, page=None):
    url = f"/admin/queues/queue/{queue.pk}/change/" + (f"?board={page}" if page else "")
    with CaptureQueriesContext(connection) as queries:
        response = manager.get(url)
    assert response.status_code == 200
    [formset] = [f for f in response.context["inline_admin_formsets"] if f.opts.model is Batch]
    return response, [form.instance for form in formset.formset.forms], len(queries)


def test_the_board_shows_a_page_of_the_queue_in_processing_order(manager):
    queue = QueueFactory()
    fill(queue, BOARD_PAGE * 2 + 7)
    ordered = list(Batch.objects.filter(queue=queue).order_by("order", "id"))

    first, first_rows, _ = board(manager, queue)
    last, last_rows, _ = board(manager, queue, page=3)

    assert first_rows == ordered[:BOARD_PAGE]
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    assert last_rows == ordered[BOARD_PAGE * 2 :]
    assert 'rel="prev"' in last.text and 'rel="next"' not in last.text
    assert first_rows[0].pending == 1, "each row carries its counters"


def test_the_board_costs_the_same_queries_for_a_queue_ten_times_larger(manager):
    small, large = QueueFactory(), QueueFactory()
    fill(small, BOARD_PAGE + 1)
    fill(large, BOARD_PAGE * 10)

    _, _, few = board(manager, small)
    _, rows, many = board(manager, large)

    assert len(rows) == BOARD_PAGE
    assert few == many


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999"])
def test_a_page_out_of_range_shows_the_first_or_nothing(manager, page):
    queue = QueueFactory()
    fill(queue, 3)

    response = manager.get(f"/admin/queues/queue/{queue.pk}/change/?board={page}")

    assert response.status_code == 200

"""Benchmark (not a timed test): ``PATCH /batches`` with ``total=1000``.

Run with ``make bench``; it prints the wall time and the query count for 10, 100 and 1,000
batches. Target: 1,000 batches in at most 0.5 s, with a query count that does not grow with
``total`` (on SQLite, inserts are split only by its 999-parameter limit).
"""

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("total", [10, 100, 1000])
def test_bulk_create_batches(total):
    user = UserFactory(is_superuser=True)
    client = client_for(user)
    tech = UserFactory()
    work_order = make_work_order(label="Bench", cycles=[(total, make_workflow())])
    queue = QueueFactory()
    body = json.dumps(
        {
            "total": total,
            "work_order": {"work_order_id": work_order.public_id},
            "queue": {"queue_id": queue.public_id},
            "number_cycles": 1,
            "users": [{"user_id": tech.public_id}],
        }
    )

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.patch("/api/batches", body, content_type="application/json")
        elapsed = time.perf_counter() - started

    assert response.status_code == 204, response.content
    print(
        f"\nPATCH /batches total={total:>4} on {connection.vendor}: "
        f"{elapsed * 1000:7.1f} ms, {len(queries.captured_queries):3d} queries"
    )

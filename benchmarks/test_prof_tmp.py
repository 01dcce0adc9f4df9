import cProfile
import io
import pstats

import pytest

from batches.services import batches_create
from tests.factories import QueueFactory, UserFactory, make_work_order, make_workflow
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_prof():
    client = client_for(UserFactory(is_superuser=True))
    wo = make_work_order(cycles=[(200, make_workflow())])
    batches_create(actor=None, work_order=wo, queue=QueueFactory(), number_cycles=10, total=20)
    u = f"/api/work-orders/{wo.public_id}/cycles?limit=100"
    client.get(u)
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(20):
        client.get(u)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("tottime").print_stats(25)
    print(s.getvalue()[:14000])

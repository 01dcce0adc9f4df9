import cProfile
import io
import pstats
import time

import pytest

from tests.factories import ContactFactory, ProjectFactory, UserFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_prof():
    client = client_for(UserFactory(is_superuser=True))
    c = ProjectFactory().program.customer
    ContactFactory.create_batch(120, customers=[c])
    u = f"/api/customers/{c.public_id}/relations?limit=100"
    client.get(u)
    t = time.perf_counter()
    for _ in range(30):
        client.get(u)
    print("ms", (time.perf_counter() - t) / 30 * 1000)
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(20):
        client.get(u)
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(
        "relations/|pagination|compiler.py:.*(as_sql|execute_sql)|query.py:.*(count|_fetch_all)|"
        "base.py:.*from_db|json|filter_queryset|authenticat|get_or_404"
    )
    print(s.getvalue()[:6000])

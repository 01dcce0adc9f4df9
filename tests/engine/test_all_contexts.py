"""``GET /contexts``: every run the caller may read, paged and filtered — a technician's are
their batches' runs, never another technician's on another batch."""

import pytest

from batches.services import batches_create
from tests.factories import UserFactory, make_work_order
from tests.helpers import assert_status, client_for
from users.roles import FloorRole
from users.services import user_set_role

from .test_runs_api import take

pytestmark = pytest.mark.django_db


def ids(response) -> list[str]:
    assert_status(response, 200)
    return [run["context_id"] for run in response.json()["_embedded"]["nter:contexts"]]


def test_runs_are_listed_for_whoever_reads_them_and_filtered(floor, ada):
    first = take(ada, floor["batch"], "DMP3001").json()["context_id"]
    second = take(ada, floor["batch"], "DMP3002").json()["context_id"]
    # Another technician's batch, of another work order, with a run of its own.
    other_tech = UserFactory()
    user_set_role(other_tech, role=FloorRole.TECHNICIAN)
    more = make_work_order(
        project=floor["project"], cycles=[(2, floor["workflow"])], label="Other iPads"
    )
    [theirs] = batches_create(
        actor=None, work_order=more, queue=floor["queue"], number_cycles=2, users=[other_tech]
    )
    other = client_for(other_tech)
    third = take(other, theirs, "DMP3003").json()["context_id"]

    assert ids(ada.get("/api/contexts")) == [first, second]
    assert ids(other.get("/api/contexts")) == [third]
    manager = UserFactory()
    user_set_role(manager, role=FloorRole.MANAGER)
    everyone = client_for(manager)
    assert ids(everyone.get("/api/contexts")) == [first, second, third]
    by_order = everyone.get("/api/contexts", {"filter[work_order]": more.public_id})
    assert ids(by_order) == [third]
    assert ids(everyone.get("/api/contexts", {"filter[batch]": theirs.public_id})) == [third]
    assert ids(everyone.get("/api/contexts", {"filter[status]": "SUCCEEDED"})) == []
    page = everyone.get("/api/contexts?limit=2").json()
    assert page["total_count"] == 3 and len(page["_embedded"]["nter:contexts"]) == 2
    assert_status(everyone.get("/api/contexts", {"filter[status]": "DONE"}), 400)
    assert "nter:contexts" in everyone.get("/api/").json()["_links"]


def test_the_list_costs_the_same_for_one_run_and_many(floor, ada, django_assert_max_num_queries):
    take(ada, floor["batch"], "DMP3101")
    with django_assert_max_num_queries(15) as one:
        ada.get("/api/contexts?limit=100")
    for n in range(2, 7):
        take(ada, floor["batch"], f"DMP31{n:02d}")
    with django_assert_max_num_queries(15) as many:
        assert ada.get("/api/contexts?limit=100").json()["total_count"] == 6
    assert len(one.captured_queries) == len(many.captured_queries)

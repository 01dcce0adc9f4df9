"""The floor in the admin: split a work order, queues with their batches, batch actions."""

import pytest

from batches.models import Batch, Cycle
from batches.services import batches_create
from relations.models import Relation
from tests.factories import (
    ManufacturerFactory,
    QueueFactory,
    UserFactory,
    make_work_order,
    make_workflow,
)
from tests.helpers import changeform_data
from tests.tenancy import plant
from users.roles import FloorRole
from users.services import user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_order():
    return make_work_order(label="500 iPads", cycles=[(500, make_workflow())])


def test_split_previews_then_creates_batches_through_the_service(manager, work_order, superuser):
    queue = QueueFactory()
    tech = UserFactory()
    url = f"/admin/workorders/workorder/{work_order.pk}/split/"
    form = {"queue": str(queue.pk), "size": "12", "technicians": [str(tech.pk)]}

    assert (
        "Split into batches"
        in manager.get(f"/admin/workorders/workorder/{work_order.pk}/change/").content.decode()
    )
    preview = manager.post(url, {**form, "preview": "1"}).content.decode()
    assert "500 cycles" in preview
    assert "42 batches; the last has 8 cycles" in preview
    assert not Batch.objects.exists()

    response = manager.post(url, {**form, "confirm": "1"})

    assert response.status_code == 302
    assert Batch.objects.count() == 42 and Cycle.objects.count() == 500
    assert sorted({b.cycles.count() for b in Batch.objects.all()}) == [8, 12]
    assert Batch.objects.filter(label="500 iPads · 42/42").exists()
    assert Relation.objects.filter(relation="tech").count() == 42
    assert "Nothing left to place" in manager.post(url, {**form, "preview": "1"}).content.decode()


def test_a_split_spreads_over_two_queues(manager, work_order):
    albany, toronto = QueueFactory(label="Albany bench"), QueueFactory(label="Toronto bench")
    url = f"/admin/workorders/workorder/{work_order.pk}/split/"

    preview = manager.post(
        url, {"queue": albany.pk, "size": "50", "cycles": "300", "preview": "1"}
    ).content.decode()
    assert "300 cycles in 6 batches" in preview and "200 stay to place" in preview
    first = manager.post(url, {"queue": albany.pk, "size": "50", "cycles": "300", "confirm": "1"})

    # The rest is still to place: the same page, for the next queue.
    assert first.status_code == 302 and first.url.endswith("/split/")
    assert "200 cycles are left" in " ".join(
        str(m) for m in manager.get(first.url).context["messages"]
    )
    manager.post(url, {"queue": toronto.pk, "size": "40", "confirm": "1"})

    assert Batch.objects.filter(queue=albany).count() == 6
    assert Batch.objects.filter(queue=toronto).count() == 5
    assert Cycle.objects.filter(batch__queue=albany).count() == 300
    assert Cycle.objects.filter(batch__queue=toronto).count() == 200
    # More than is left is what is left.
    assert (
        "Nothing left to place"
        in manager.post(
            url, {"queue": toronto.pk, "size": "40", "cycles": "999", "preview": "1"}
        ).content.decode()
    )


def test_queue_page_lists_its_batches_in_order_with_counters(manager, work_order):
    queue = QueueFactory(label="Fast Lane")
    batches_create(actor=None, work_order=work_order, queue=queue, number_cycles=10, total=3)

    listing = manager.get("/admin/queues/queue/").content.decode()
    page = manager.get(f"/admin/queues/queue/{queue.pk}/change/").content.decode()

    assert "Fast Lane" in listing
    assert (
        page.index("500 iPads · 1/3")
        < page.index("500 iPads · 2/3")
        < page.index("500 iPads · 3/3")
    )


def test_assign_a_technician_to_many_batches_at_once(manager, work_order):
    tess = user_create(username="tess", role=FloorRole.TECHNICIAN)
    batches = batches_create(
        actor=None, work_order=work_order, queue=QueueFactory(), number_cycles=1, total=30
    )
    selected = [str(b.pk) for b in batches]
    action = {"action": "assign_technician", "_selected_action": selected}

    page = manager.post("/admin/batches/batch/", action).content.decode()
    assert "Assign a technician" in page and ">tess<" in page
    assert not Relation.objects.filter(relation="tech").exists()

    response = manager.post(
        "/admin/batches/batch/", {**action, "technician": str(tess.pk), "apply": "1"}
    )

    assert response.status_code == 302
    assert Relation.objects.filter(relation="tech", subject_id=tess.pk).count() == 30


def test_move_selected_batches_to_another_queue(manager, work_order):
    source, target = QueueFactory(), QueueFactory(label="Slow Lane")
    batches = batches_create(
        actor=None, work_order=work_order, queue=source, number_cycles=1, total=2
    )
    selected = [str(b.pk) for b in batches]

    form = manager.post(
        "/admin/batches/batch/", {"action": "move_to_queue", "_selected_action": selected}
    )
    assert "Move batches" in form.content.decode()
    response = manager.post(
        "/admin/batches/batch/",
        {
            "action": "move_to_queue",
            "_selected_action": selected,
            "queue": str(target.pk),
            "apply": "1",
        },
    )

    assert response.status_code == 302
    assert [(b.queue, b.order) for b in Batch.objects.order_by("order")] == [
        (target, 1),
        (target, 2),
    ]


def test_bulk_status_change_and_filters(manager, work_order):
    queue = QueueFactory()
    batches = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=1, total=3
    )
    selected = [str(b.pk) for b in batches[:2]]
    customer = work_order.project.program.customer
    field = f"status_{customer.pk}"

    page = manager.post(
        "/admin/batches/batch/", {"action": "set_status", "_selected_action": selected}
    ).content.decode()
    assert f'name="{field}"' in page and '<optgroup label="In progress">' in page
    response = manager.post(
        "/admin/batches/batch/",
        {"action": "set_status", "_selected_action": selected, field: "In Progress", "apply": "1"},
    )
    assert response.status_code == 302

    def count(**params):
        return manager.get("/admin/batches/batch/", params).context["cl"].result_count

    assert count(status_category="IN_PROGRESS") == 2
    assert count(queue__id__exact=queue.pk) == 3
    assert count(**{"work_order__id__exact": work_order.pk}) == 3

    manager.post(
        "/admin/batches/batch/",
        {"action": "set_status", "_selected_action": selected, field: "Shipped", "apply": "1"},
    )
    assert count(status_category="IN_PROGRESS") == 2, "an unknown status changes nothing"


def test_the_queue_page_reorders_its_batches(manager, work_order):
    queue = QueueFactory(label="Fast Lane")
    first, second, third = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=1, total=3
    )
    page = manager.get(f"/admin/queues/queue/{queue.pk}/change/").content.decode()
    url = f"/admin/queues/queue/{queue.pk}/reorder/{third.pk}/up/"
    assert f'formaction="{url}"' in page

    response = manager.post(url)

    assert response.status_code == 302
    orders = {b.pk: b.order for b in Batch.objects.all()}
    assert (orders[first.pk], orders[third.pk], orders[second.pk]) == (1, 2, 3)
    manager.post(f"/admin/queues/queue/{queue.pk}/reorder/{first.pk}/up/")
    assert Batch.objects.get(pk=first.pk).order == 1, "the first stays first"
    assert manager.get(url).status_code == 404, "reordering is a POST"


def test_the_board_saves_a_dragged_order_at_once(manager, work_order):
    queue = QueueFactory(label="Fast Lane")
    batches = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=1, total=5
    )
    url = f"/admin/queues/queue/{queue.pk}/change/"
    page = manager.get(url)
    assert b'id="board-order"' in page.content and b"drag-handle" in page.content
    first, second, third, fourth, fifth = batches
    # The page's rows as the browser left them after the drag: the fourth first.
    dragged = [fourth, first, second, third, fifth]

    response = manager.post(
        url, {**changeform_data(page), "board_order": ",".join(str(b.pk) for b in dragged)}
    )

    assert response.status_code == 302 and response["Location"] == url
    in_order = list(Batch.objects.filter(queue=queue).order_by("order", "id"))
    assert in_order == dragged
    assert "4 batches moved" in " ".join(str(m) for m in manager.get(url).context["messages"])


def test_a_dragged_order_moves_only_what_the_manager_may_update(client):
    shared = dict(
        workflow=make_workflow(label="Provision tablet"),
        manufacturer=ManufacturerFactory(label="Apple"),
        shared_queue=QueueFactory(label="Shared lane"),
    )
    acme = plant("Acme", people=("maria", "tess"), **shared)
    globex = plant("Globex", people=("greg", "gail"), **shared)
    mine = batches_create(
        actor=None,
        work_order=acme["work_order"],
        queue=shared["shared_queue"],
        number_cycles=1,
    )[0]
    theirs = globex["shared_batch"]
    client.force_login(acme.manager)
    url = f"/admin/queues/queue/{shared['shared_queue'].pk}/change/"
    page = client.get(url)
    assert b"Globex" not in page.content
    before = {b.pk: b.order for b in Batch.objects.filter(queue=shared["shared_queue"])}

    # A forged order naming the other customer's batch first.
    order = f"{theirs.pk},{mine.pk},{acme['shared_batch'].pk}"
    client.post(url, {**changeform_data(page), "board_order": order})

    after = {b.pk: b.order for b in Batch.objects.filter(queue=shared["shared_queue"])}
    assert after[theirs.pk] == before[theirs.pk]
    assert after[mine.pk] < after[acme["shared_batch"].pk], "Acme's own two swapped"


def test_the_queue_board_moves_and_staffs_selected_batches(manager, work_order):
    queue, other = QueueFactory(label="Fast Lane"), QueueFactory(label="Slow Lane")
    first, second, third = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=1, total=3
    )
    tech = UserFactory(username="tess")
    url = f"/admin/queues/queue/{queue.pk}/change/"
    data = changeform_data(manager.get(url))

    response = manager.post(
        url, {**data, "board_batches": [first.pk, third.pk], "technician": tech.pk}
    )

    assert response.status_code == 302 and response["Location"] == url
    assert "tess" in manager.get(url).content.decode()
    assigned = Relation.objects.filter(relation="tech", subject_id=tech.pk)
    assert sorted(assigned.values_list("object_id", flat=True)) == [first.pk, third.pk]

    manager.post(url, {**data, "board_batches": [third.pk], "move_to": other.pk})
    assert Batch.objects.get(pk=third.pk).queue == other
    assert Batch.objects.get(pk=second.pk).queue == queue

    manager.post(
        url,
        {
            **data,
            "board_batches": [first.pk],
            "technician": tech.pk,
            "technician_action": "unassign",
        },
    )
    assert list(assigned.values_list("object_id", flat=True)) == [third.pk]


def test_selected_batches_run_first_in_their_queue_in_one_action(manager, work_order):
    queue = QueueFactory(label="Fast Lane")
    batches = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=1, total=6
    )
    rushed = [batches[4], batches[2]]

    response = manager.post(
        "/admin/batches/batch/",
        {"action": "run_first", "_selected_action": [b.pk for b in rushed]},
    )

    assert response.status_code == 302
    in_order = [b.pk for b in Batch.objects.filter(queue=queue).order_by("order", "id")]
    # The rushed two first, in their own order; the rest behind them, as they were.
    assert in_order == [batches[i].pk for i in (2, 4, 0, 1, 3, 5)]
    assert Batch.objects.filter(queue=queue, order__lt=1).count() == 0

"""Custom fields (input filters) read back as a table beside their JSON editor."""

import pytest

from tests.factories import LocationFactory, ProjectFactory, make_work_order

pytestmark = pytest.mark.django_db

SERIAL = {
    "key": "serial_number",
    "label": "Serial number",
    "filters": [{"type": "trim"}, {"type": "upper"}],
    "validators": [{"type": "required"}],
    "locked": True,
}


@pytest.mark.parametrize(
    "make",
    [
        lambda: ("customers/project", ProjectFactory(input_filter=[SERIAL])),
        lambda: ("queues/location", LocationFactory(input_filter=[SERIAL])),
        lambda: ("workorders/workorder", make_work_order(input_filter=[SERIAL])),
    ],
)
def test_custom_fields_read_back_as_a_table(manager, make):
    path, entity = make()

    page = manager.get(f"/admin/{path}/{entity.pk}/change/").content.decode()

    assert 'class="input-filter-read-back"' in page
    assert (
        "<td>serial_number</td><td>Serial number</td><td>trim, upper</td><td>required</td>" in page
    )
    assert "^[a-z0-9]+(?:_[a-z0-9]+)*$" in page

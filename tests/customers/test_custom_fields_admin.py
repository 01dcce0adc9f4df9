"""Custom fields (input filters) edited as rows — label, kind, choices, required, locked,
value — with the JSON behind them kept for power users and what the rows do not show kept."""

import pytest

from customers.models import Project
from tests.factories import LocationFactory, ProjectFactory, make_work_order
from tests.helpers import changeform_data

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
def test_custom_fields_show_as_rows_in_words(manager, make):
    path, entity = make()

    page = manager.get(f"/admin/{path}/{entity.pk}/change/").content.decode()

    assert "Custom fields" in page and "Input filter" not in page
    assert 'name="input_filter-0-label" value="Serial number"' in page
    assert 'name="input_filter-0-required" aria-label="Required" checked' in page
    assert "Also: trim, upper" in page


def test_a_manager_adds_a_choice_field_by_rows_and_keeps_the_rest(manager):
    project = ProjectFactory(input_filter=[SERIAL])
    url = f"/admin/customers/project/{project.pk}/change/"
    data = changeform_data(manager.get(url))
    data.update(
        {
            "input_filter-1-label": "Store region",
            "input_filter-1-kind": "white_list",
            "input_filter-1-choices": "North, South",
            "input_filter-1-required": "on",
            "input_filter-1-value": "North",
        }
    )

    response = manager.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    serial, region = Project.objects.get(pk=project.pk).input_filter
    assert [f["type"] for f in serial["filters"]] == ["trim", "upper"], "kept as it was"
    assert serial["locked"] is True
    assert region["key"] == "store_region"
    assert [v["type"] for v in region["validators"]] == ["required", "white_list"]
    assert region["validators"][1]["options"]["list"] == ["North", "South"]
    assert region["value"] == "North"


def test_a_value_outside_its_choices_is_a_form_error_and_changes_nothing(manager):
    project = ProjectFactory(input_filter=[])
    url = f"/admin/customers/project/{project.pk}/change/"
    data = changeform_data(manager.get(url))
    data.update(
        {
            "input_filter-0-label": "Store region",
            "input_filter-0-kind": "white_list",
            "input_filter-0-choices": "North, South",
            "input_filter-0-value": "West",
        }
    )

    response = manager.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["input_filter"]
    assert Project.objects.get(pk=project.pk).input_filter == []


def test_removing_a_row_removes_the_field(manager):
    project = ProjectFactory(input_filter=[SERIAL])
    url = f"/admin/customers/project/{project.pk}/change/"
    data = {**changeform_data(manager.get(url)), "input_filter-0-remove": "on"}

    assert manager.post(url, data).status_code == 302
    assert Project.objects.get(pk=project.pk).input_filter == []


def test_the_rows_read_back_what_they_wrote(manager):
    project = ProjectFactory(input_filter=[])
    url = f"/admin/customers/project/{project.pk}/change/"
    data = changeform_data(manager.get(url))
    data.update(
        {
            "input_filter-0-label": "Store region",
            "input_filter-0-kind": "white_list",
            "input_filter-0-choices": "North, South",
        }
    )
    manager.post(url, data)

    again = changeform_data(manager.get(url))

    assert again["input_filter-0-kind"] == "white_list"
    assert again["input_filter-0-choices"] == "North, South"
    assert manager.post(url, again).status_code == 302
    [region] = Project.objects.get(pk=project.pk).input_filter
    assert len(region["validators"]) == 1, "saving unchanged rows adds nothing"

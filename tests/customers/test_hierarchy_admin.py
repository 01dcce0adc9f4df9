"""Managers lay out customers, programs, projects and locations in the admin."""

import pytest

from customers.models import Program, Project
from queues.models import Location
from relations.models import Relation
from tests.factories import CustomerFactory, LocationFactory, ProgramFactory, ProjectFactory
from tests.helpers import formset_management

pytestmark = pytest.mark.django_db

RELATION_INLINES = {
    **formset_management("relations-relation-object_type-object_id"),
    **formset_management("relations-relation-subject_type-subject_id"),
}


def rows(*statuses):
    data = {"allowed_statuses-count": str(len(statuses) + 1)}
    for index, (status, category) in enumerate(statuses):
        data[f"allowed_statuses-{index}-status"] = status
        data[f"allowed_statuses-{index}-category"] = category
    return data


def customer_post(customer, **extra):
    status = customer.allowed_statuses[0]
    return {
        "label": customer.label,
        "external_platform": "{}",
        **rows((status["status"], status["category"])),
        **RELATION_INLINES,
        **extra,
    }


def test_customer_page_lists_programs_with_links(manager):
    program = ProgramFactory(label="North east stores")

    page = manager.get(f"/admin/customers/customer/{program.customer.pk}/change/").content.decode()

    assert "North east stores" in page
    assert f"/admin/customers/program/{program.pk}/change/" in page


def test_program_added_through_the_customer_inline_goes_through_the_service(manager, superuser):
    customer = CustomerFactory()
    data = customer_post(
        customer,
        **formset_management("programs", total=1),
        **{"programs-0-label": "West coast", "programs-0-customer": str(customer.pk)},
    )

    response = manager.post(f"/admin/customers/customer/{customer.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    program = Program.objects.get(label="West coast")
    assert Relation.objects.filter(relation="created", object_id=program.pk).exists()
    assert program.history.first().history_user == superuser


def test_add_program_with_narrowed_statuses(manager):
    customer = CustomerFactory()
    data = {
        "label": "North east",
        "customer": str(customer.pk),
        "input_filter": "[]",
        **rows(("Pending", "PENDING")),
        **formset_management("projects"),
    }

    response = manager.post("/admin/customers/program/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    program = Program.objects.get()
    assert [s["status"] for s in program.allowed_statuses] == ["Pending"]
    assert program.allowed_statuses[0]["description"] == "For something that is Pending"


def test_no_status_rows_means_inherit(manager):
    customer = CustomerFactory()
    data = {
        "label": "All statuses",
        "customer": str(customer.pk),
        "input_filter": "[]",
        "allowed_statuses-count": "1",
        **formset_management("projects"),
    }

    manager.post("/admin/customers/program/add/", data)

    program = Program.objects.get()
    assert program.allowed_statuses is None
    page = manager.get(f"/admin/customers/program/{program.pk}/change/").content.decode()
    assert "Statuses in force" in page and "Cancelled" in page


def test_status_outside_the_customers_list_is_a_form_error(manager):
    customer = CustomerFactory()
    data = {
        "label": "North east",
        "customer": str(customer.pk),
        "input_filter": "[]",
        **rows(("Shipped", "COMPLETE")),
        **formset_management("projects"),
    }

    response = manager.post("/admin/customers/program/add/", data)

    assert response.status_code == 200
    assert "is not allowed by the customer" in response.content.decode()
    assert not Program.objects.exists()


def test_dropping_a_status_in_use_is_a_form_error_on_the_customer(manager):
    ProgramFactory(
        label="Uses blocked", allowed_statuses=[{"status": "Blocked", "category": "BLOCKED"}]
    )
    customer = Program.objects.get().customer
    data = {
        "label": customer.label,
        "external_platform": "{}",
        **rows(("Pending", "PENDING")),
        **RELATION_INLINES,
        **formset_management("programs", total=1, initial=1),
        "programs-0-id": str(Program.objects.get().pk),
        "programs-0-label": "Uses blocked",
        "programs-0-customer": str(customer.pk),
    }

    response = manager.post(f"/admin/customers/customer/{customer.pk}/change/", data)

    assert response.status_code == 200
    assert "still used by program" in response.content.decode()
    customer.refresh_from_db()
    assert len(customer.allowed_statuses) == 6


def test_program_list_filters_and_search(manager):
    northwind = CustomerFactory(label="Northwind")
    ProgramFactory(
        label="North east",
        customer=northwind,
        allowed_statuses=[{"status": "Pending", "category": "PENDING"}],
    )
    ProgramFactory(label="West coast", customer=northwind)
    ProgramFactory(label="Elsewhere")

    def count(**params):
        return manager.get("/admin/customers/program/", params).context["cl"].result_count

    assert count() == 3
    assert count(customer__id__exact=northwind.pk) == 2
    assert count(status_category="BLOCKED") == 2, "inherited lists count"
    assert count(status_category="PENDING") == 3
    assert count(q="east") == 1
    assert count(q="northwind") == 2, "search includes the customer's label"


def test_project_list_filters_and_autocomplete(manager):
    project = ProjectFactory(
        label="New York stores", allowed_statuses=[{"status": "Pending", "category": "PENDING"}]
    )
    ProjectFactory(label="Boston stores")

    listing = manager.get("/admin/customers/project/", {"status_category": "BLOCKED"})
    assert listing.context["cl"].result_count == 1
    assert manager.get("/admin/customers/project/", {"q": "york"}).context["cl"].result_count == 1
    autocomplete = manager.get(
        "/admin/autocomplete/",
        {
            "term": project.program.label,
            "app_label": "customers",
            "model_name": "project",
            "field_name": "program",
        },
    )
    assert [r["text"] for r in autocomplete.json()["results"]] == [project.program.label]


def test_deleting_a_program_with_projects_is_refused_in_the_admin(manager):
    project = ProjectFactory()

    response = manager.post(
        f"/admin/customers/program/{project.program.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 200
    assert "protected" in response.content.decode().lower()
    assert Program.objects.exists()


def test_location_admin_shows_formatted_addresses(manager):
    LocationFactory(label="Albany DC")

    page = manager.get("/admin/queues/location/").content.decode()

    assert "Albany DC<br>431 Broadway<br>Menands NY 12204 USA" in page


def test_location_added_with_address_fields(manager):
    data = {
        "label": "Berlin hub",
        "location_type": "warehouse",
        "input_filter": "[]",
        "address_country": "DEU",
        "address_administrative_area": "Berlin",
        "address_locality": "Berlin",
        "address_postal_code": "10115",
        "address_thoroughfare": "Invalidenstr. 116",
    }

    response = manager.post("/admin/queues/location/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    location = Location.objects.get()
    assert location.formatted_address == "Berlin hub\nInvalidenstr. 116\n10115 Berlin\nDEU"


def test_location_missing_address_parts_is_a_form_error(manager):
    data = {
        "label": "Nowhere",
        "location_type": "other",
        "input_filter": "[]",
        "address_country": "FRA",
    }

    response = manager.post("/admin/queues/location/add/", data)

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Location.objects.exists()


def test_invalid_input_filter_is_a_form_error(manager):
    customer = CustomerFactory()
    data = {
        "label": "P",
        "customer": str(customer.pk),
        "input_filter": '[{"key": "Bad Key", "label": "x", "filters": [], "validators": []}]',
        "allowed_statuses-count": "1",
        **formset_management("projects"),
    }

    response = manager.post("/admin/customers/program/add/", data)

    assert response.status_code == 200
    assert "should match pattern" in response.content.decode()
    assert not Project.objects.exists() and not Program.objects.exists()

"""Production managers work in the admin: list, search, add, edit, inlines, delete."""

import pytest

from customers.models import Customer
from customers.selectors import customer_contacts
from tests.factories import ContactFactory, CustomerFactory
from tests.helpers import formset_management

pytestmark = pytest.mark.django_db


def status_rows(*rows, blank=1):
    """Return POST data for the allowed-statuses editor."""
    data = {}
    for index, row in enumerate([*rows, *([("", "", "", "")] * blank)]):
        status, category, description, order = row
        data.update(
            {
                f"allowed_statuses-{index}-status": status,
                f"allowed_statuses-{index}-category": category,
                f"allowed_statuses-{index}-description": description,
                f"allowed_statuses-{index}-order": order,
            }
        )
    data["allowed_statuses-count"] = str(len(rows) + blank)
    return {**data, **formset_management("programs")}


INWARD = "relations-relation-object_type-object_id"
OUTWARD = "relations-relation-subject_type-subject_id"


def test_changelist_shows_counters_and_status_categories(manager):
    CustomerFactory(label="Northwind", allowed_statuses=[{"status": "Open", "category": "PENDING"}])

    response = manager.get("/admin/customers/customer/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Northwind" in page
    assert "Open (PENDING)" in page
    assert "Programs" in page and "Projects" in page


def test_changelist_search_finds_by_label(manager):
    CustomerFactory(label="Northwind Retail")
    CustomerFactory(label="Contoso Health")

    response = manager.get("/admin/customers/customer/", {"q": "northwind"})

    page = response.content.decode()
    assert "Northwind Retail" in page
    assert "Contoso Health" not in page


def test_add_form_is_prefilled_with_the_default_vocabulary(manager):
    response = manager.get("/admin/customers/customer/add/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="In Progress"' in page
    assert 'name="allowed_statuses-count"' in page


def test_add_customer_with_status_rows(manager):
    data = {
        "label": "Fabrikam",
        "external_platform": "{}",
        **status_rows(("To do", "PENDING", "Not started", "1"), ("Done", "COMPLETE", "", "2")),
    }

    response = manager.post("/admin/customers/customer/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    customer = Customer.objects.get(label="Fabrikam")
    assert customer.allowed_statuses == [
        {"status": "To do", "category": "PENDING", "description": "Not started", "order": 1},
        {"status": "Done", "category": "COMPLETE", "description": None, "order": 2},
    ]


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ([("To do", "", "", "")], "category"),
        ([("1st", "PENDING", "", "")], "should match pattern"),
        ([("Open", "PENDING", "", ""), ("open", "BLOCKED", "", "")], "should be unique"),
        ([("Open", "PENDING", "", "soon")], "should be number"),
        ([], "Add at least one status."),
    ],
)
def test_invalid_status_rows_are_shown_on_the_form(manager, rows, error):
    data = {"label": "Broken", "external_platform": "{}", **status_rows(*rows)}

    response = manager.post("/admin/customers/customer/add/", data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Customer.objects.exists()


def test_a_control_character_in_a_label_is_a_form_error(manager):
    data = {
        "label": "Fab\x1b[31mrikam",
        "external_platform": "{}",
        **status_rows(("Open", "PENDING", "", "")),
    }

    response = manager.post("/admin/customers/customer/add/", data)

    assert response.status_code == 200
    assert "Control characters are not allowed (found \\u001b)" in response.content.decode()
    assert not Customer.objects.exists()


def test_duplicate_label_is_a_form_error(manager):
    CustomerFactory(label="Taken")
    data = {
        "label": "TAKEN",
        "external_platform": "{}",
        **status_rows(("Open", "PENDING", "", "")),
    }

    response = manager.post("/admin/customers/customer/add/", data)

    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Customer.objects.count() == 1


def test_change_customer_removes_a_row_and_links_a_contact(manager):
    customer = CustomerFactory(
        label="Northwind",
        allowed_statuses=[
            {"status": "Open", "category": "PENDING", "description": None, "order": 1},
            {"status": "Gone", "category": "CANCELLED", "description": None, "order": 2},
        ],
    )
    contact = ContactFactory()
    url = f"/admin/customers/customer/{customer.pk}/change/"
    assert manager.get(url).status_code == 200
    data = {
        "label": "Northwind Retail",
        "external_platform": '{"salesforce": "001"}',
        **status_rows(("Open", "PENDING", "", "1"), ("Gone", "CANCELLED", "", "2")),
        "allowed_statuses-1-delete": "on",
        **formset_management(INWARD, total=1),
        f"{INWARD}-0-relation": "contact",
        f"{INWARD}-0-entity": f"CON:{contact.public_id}",
        **formset_management(OUTWARD),
    }

    response = manager.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    customer.refresh_from_db()
    assert customer.label == "Northwind Retail"
    assert customer.external_platform == {"salesforce": "001"}
    assert [s["status"] for s in customer.allowed_statuses] == ["Open"]
    assert list(customer_contacts(customer)) == [contact]


def test_invalid_external_platform_is_a_form_error(manager):
    data = {
        "label": "Acme",
        "external_platform": '{"9x": 1}',
        **status_rows(("Open", "PENDING", "", "")),
    }

    response = manager.post("/admin/customers/customer/add/", data)

    assert response.status_code == 200
    assert "should match pattern" in response.content.decode()
    assert not Customer.objects.exists()


def test_delete_customer_from_the_admin(manager):
    customer = CustomerFactory()

    response = manager.post(f"/admin/customers/customer/{customer.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Customer.objects.exists()


def test_bulk_delete_action_goes_through_the_service(manager):
    customers = CustomerFactory.create_batch(2)

    response = manager.post(
        "/admin/customers/customer/",
        {
            "action": "delete_selected",
            "_selected_action": [c.pk for c in customers],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Customer.objects.exists()


def test_contact_admin_search_and_autocomplete(manager):
    ContactFactory(name="Samantha Carter", email="s.carter@sg1.com")
    ContactFactory(name="Daniel Jackson", email="d.jackson@sg1.com")

    listing = manager.get("/admin/customers/contact/", {"q": "carter"}).content.decode()
    assert "Samantha Carter" in listing and "Daniel Jackson" not in listing

    response = manager.get("/admin/relations/relation/entity-autocomplete/", {"term": "jack"})
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Contact: Daniel Jackson <d.jackson@sg1.com>"
    ]


def test_contact_admin_rejects_a_duplicate_email(manager):
    ContactFactory(email="s.carter@sg1.com")

    response = manager.post(
        "/admin/customers/contact/add/",
        {"label": "Major", "name": "Sam", "email": "S.Carter@sg1.com", "phone": ""},
    )

    assert response.status_code == 200
    assert "already exists" in response.content.decode()

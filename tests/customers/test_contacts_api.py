import pytest

from customers.models import Contact
from customers.selectors import customer_contacts
from tests.factories import ContactFactory, CustomerFactory
from tests.helpers import assert_status, post_json

pytestmark = pytest.mark.django_db

CARTER = {
    "label": "Major",
    "name": "Major Samantha Carter",
    "email": "s.carter@sg1.com",
    "phone": "518-867-5309",
}


def contacts_url(customer):
    return f"/api/customers/{customer.public_id}/contacts"


def test_post_creates_and_links_a_contact(api):
    customer = CustomerFactory()

    response = post_json(api, contacts_url(customer), CARTER)

    assert_status(response, 200)
    data = response.json()
    assert {k: data[k] for k in CARTER} == CARTER
    assert set(data) == {
        "contact_id",
        "label",
        "created",
        "updated",
        *CARTER,
        "input_filter",
        "_links",
    }
    assert data["input_filter"] == []
    # Its place in the customer's list, and the contact itself.
    member = f"{contacts_url(customer)}/{data['contact_id']}"
    assert data["_links"]["self"]["href"] == f"http://testserver{member}"
    assert data["_links"]["nter:contact"]["href"] == (
        f"http://testserver/api/contacts/{data['contact_id']}"
    )
    assert [c.public_id for c in customer_contacts(customer)] == [data["contact_id"]]


def test_self_link_of_a_contact_serves_it(api):
    data = post_json(api, contacts_url(CustomerFactory()), CARTER).json()

    response = api.get(data["_links"]["self"]["href"])

    assert_status(response, 200)
    assert response.json() == data


def test_existing_email_links_the_existing_contact_instead_of_duplicating(api):
    first, second = CustomerFactory(), CustomerFactory()
    created = post_json(api, contacts_url(first), CARTER).json()

    response = post_json(
        api, contacts_url(second), {**CARTER, "email": "S.Carter@SG1.com", "name": "Sam"}
    )

    assert_status(response, 200)
    assert response.json()["contact_id"] == created["contact_id"]
    assert response.json()["name"] == "Major Samantha Carter", "the existing contact is kept as is"
    assert Contact.objects.count() == 1
    assert (
        list(customer_contacts(first)) == list(customer_contacts(second)) == [Contact.objects.get()]
    )


def test_posting_an_already_linked_contact_again_is_harmless(api):
    customer = CustomerFactory()
    post_json(api, contacts_url(customer), CARTER)

    response = post_json(api, contacts_url(customer), CARTER)

    assert_status(response, 200)
    assert customer_contacts(customer).count() == 1


def test_phone_is_optional_and_null_when_absent(api):
    body = {k: v for k, v in CARTER.items() if k != "phone"}

    response = post_json(api, contacts_url(CustomerFactory()), body)

    assert_status(response, 200)
    assert response.json()["phone"] is None


@pytest.mark.parametrize(
    ("changes", "keyword", "data_path"),
    [
        ({"email": "not-an-email"}, "format", ".email"),
        ({"email": 12}, "type", ".email"),
        ({"name": None}, "type", ".name"),
        ({"label": ["Major"]}, "type", ".label"),
        ({"phone": 5185550000}, "type", ".phone"),
        ({"rank": "Major"}, "additionalProperties", ".rank"),
    ],
)
def test_invalid_contact_is_rejected_and_nothing_is_stored(api, changes, keyword, data_path):
    customer = CustomerFactory()

    response = post_json(api, contacts_url(customer), {**CARTER, **changes})

    assert_status(response, 400)
    messages = response.json()["validation_messages"]
    assert (messages[0]["keyword"], messages[0]["dataPath"]) == (keyword, data_path)
    assert not Contact.objects.exists()
    assert not customer_contacts(customer).exists()


def test_missing_required_contact_fields_are_reported(api):
    response = post_json(api, contacts_url(CustomerFactory()), {})

    assert_status(response, 400)
    paths = {m["dataPath"] for m in response.json()["validation_messages"]}
    assert paths == {".label", ".name", ".email"}


def test_contacts_of_an_unknown_customer_are_404(api):
    assert_status(api.get("/api/customers/nobody/contacts"), 404)
    assert_status(post_json(api, "/api/customers/nobody/contacts", CARTER), 404)
    assert not Contact.objects.exists()


def test_list_shows_only_this_customers_contacts_in_pages(api):
    customer, other = CustomerFactory(), CustomerFactory()
    mine = ContactFactory.create_batch(3, customers=[customer])
    ContactFactory(customers=[other])

    page = api.get(contacts_url(customer) + "?limit=2").json()
    rest = api.get(page["_links"]["next"]["href"]).json()

    assert page["total_count"] == 3
    seen = [c["contact_id"] for c in page["_embedded"]["nter:contacts"]]
    seen += [c["contact_id"] for c in rest["_embedded"]["nter:contacts"]]
    assert seen == [c.public_id for c in mine]


def test_linking_a_contact_needs_attach_permission_on_the_customer(client_with_perms):
    customer = CustomerFactory()
    client = client_with_perms("contact:create", "customer:read")

    response = post_json(client, contacts_url(customer), CARTER)

    assert_status(response, 403)
    assert not Contact.objects.exists()

    allowed = client_with_perms("contact:create", "customer:attach")
    assert_status(post_json(allowed, contacts_url(customer), CARTER), 200)


def test_reading_contacts_goes_with_the_customer(client_with_perms):
    customer = CustomerFactory()

    only_contacts = client_with_perms("contact:read")
    assert_status(only_contacts.get(contacts_url(customer)), 404)

    on_the_customer = client_with_perms("customer:read", on=customer)
    assert_status(on_the_customer.get(contacts_url(customer)), 200)

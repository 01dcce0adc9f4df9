"""Relations in the admin: inlines on each entity, the relation list, the entity picker."""

import io

import pytest
from django.core.management import call_command

from attachments.models import Attachment
from batches.models import Batch
from customers.models import Contact, Customer, Program, Project
from engine.models import Context
from notes.models import Note
from queues.models import Location, Queue
from relations.models import Relation
from relations.services import relation_create
from tests.factories import ContactFactory, CustomerFactory, UserFactory
from tests.helpers import formset_management
from units.models import Manufacturer, Part, Unit
from workorders.models import WorkFlow, WorkOrder

pytestmark = pytest.mark.django_db

INWARD = "relations-relation-object_type-object_id"
OUTWARD = "relations-relation-subject_type-subject_id"


def customer_form(customer):
    status = customer.allowed_statuses[0]
    return {
        "label": customer.label,
        "external_platform": "{}",
        "allowed_statuses-count": "1",
        "allowed_statuses-0-status": status["status"],
        "allowed_statuses-0-category": status["category"],
        "allowed_statuses-0-description": status["description"] or "",
        "allowed_statuses-0-order": str(status["order"]),
        **formset_management("programs"),
    }


def test_adding_a_customer_in_the_admin_records_the_created_relation(manager, superuser):
    data = {
        "label": "Fabrikam",
        "external_platform": "{}",
        "allowed_statuses-count": "1",
        "allowed_statuses-0-status": "Open",
        "allowed_statuses-0-category": "PENDING",
        **formset_management("programs"),
    }

    response = manager.post("/admin/customers/customer/add/", data)

    assert response.status_code == 302
    customer = Customer.objects.get(label="Fabrikam")
    [created] = Relation.objects.all()
    assert (created.relation, created.subject, created.object) == ("created", superuser, customer)


def test_commands_record_the_created_relation():
    call_command("seed_demo", stdout=io.StringIO())

    created = Relation.objects.filter(relation="created")
    made = [Customer, Contact, Program, Project, Location, Queue, WorkFlow, WorkOrder, Batch]
    made += [Manufacturer, Part, Unit, Context, Note, Attachment]
    assert created.count() == sum(model.objects.count() for model in made)
    # The demo's technicians took its devices: their runs and notes are theirs.
    assert {r.subject.username for r in created} == {"niagara", "ana", "ben"}
    assert {r.subject.username for r in created.filter(object_type__model="context")} == {"ana"}


def test_change_page_shows_relations_both_ways(manager):
    customer, user = CustomerFactory(), UserFactory(first_name="Bob", last_name="Alice")
    relation_create(subject=user, obj=customer, relation="viewer")
    ContactFactory(customers=[customer], name="Samantha Carter")

    response = manager.get(f"/admin/customers/customer/{customer.pk}/change/")

    page = response.content.decode()
    assert "records linking here" in page.lower()
    assert "User: " in page and "Contact: Samantha Carter" in page
    assert "admin/js/autocomplete.js" in page


def test_relation_added_through_the_inline(manager):
    customer, user = CustomerFactory(), UserFactory()
    data = {
        **customer_form(customer),
        **formset_management(INWARD),
        **formset_management(OUTWARD, total=1),
        f"{OUTWARD}-0-relation": "owner",
        f"{OUTWARD}-0-entity": f"USER:{user.public_id}",
    }

    response = manager.post(f"/admin/customers/customer/{customer.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    [link] = Relation.objects.all()
    assert (link.subject, link.relation, link.object) == (customer, "owner", user)


def test_duplicate_relation_in_the_inline_is_a_form_error(manager):
    customer, user = CustomerFactory(), UserFactory()
    relation_create(subject=customer, obj=user, relation="owner")
    existing = Relation.objects.get()
    data = {
        **customer_form(customer),
        **formset_management(INWARD),
        **formset_management(OUTWARD, total=2, initial=1),
        f"{OUTWARD}-0-id": str(existing.pk),
        f"{OUTWARD}-0-relation": "owner",
        f"{OUTWARD}-0-entity": f"USER:{user.public_id}",
        f"{OUTWARD}-1-relation": "owner",
        f"{OUTWARD}-1-entity": f"USER:{user.public_id}",
    }

    response = manager.post(f"/admin/customers/customer/{customer.pk}/change/", data)

    assert response.status_code == 200
    assert "already related that way" in response.content.decode()
    assert Relation.objects.count() == 1


def test_self_and_unknown_entities_are_form_errors(manager):
    customer = CustomerFactory()
    for entity, error in [
        (f"CUS:{customer.public_id}", "cannot be related to itself"),
        ("CUS:missing", "no longer exists"),
        ("PLANET:x", "Pick an entity"),
    ]:
        data = {
            **customer_form(customer),
            **formset_management(INWARD),
            **formset_management(OUTWARD, total=1),
            f"{OUTWARD}-0-relation": "owner",
            f"{OUTWARD}-0-entity": entity,
        }
        response = manager.post(f"/admin/customers/customer/{customer.pk}/change/", data)
        assert error in response.content.decode(), entity
    assert not Relation.objects.exists()


def test_relation_removed_through_the_inline(manager):
    customer, user = CustomerFactory(), UserFactory()
    relation_create(subject=user, obj=customer, relation="viewer")
    link = Relation.objects.get()
    data = {
        **customer_form(customer),
        **formset_management(INWARD, total=1, initial=1),
        f"{INWARD}-0-id": str(link.pk),
        f"{INWARD}-0-relation": "viewer",
        f"{INWARD}-0-entity": f"USER:{user.public_id}",
        f"{INWARD}-0-DELETE": "on",
        **formset_management(OUTWARD),
    }

    response = manager.post(f"/admin/customers/customer/{customer.pk}/change/", data)

    assert response.status_code == 302
    assert not Relation.objects.exists()


def test_relation_list_filters_by_type_and_entity_types(manager):
    customer, user = CustomerFactory(label="Acme"), UserFactory()
    relation_create(subject=user, obj=customer, relation="viewer")
    ContactFactory(customers=[customer])

    everything = manager.get("/admin/relations/relation/")
    contacts = manager.get("/admin/relations/relation/", {"relation__exact": "contact"})
    from_users = manager.get("/admin/relations/relation/", {"subject_type": "USER"})
    to_customers = manager.get("/admin/relations/relation/", {"object_type": "CUS"})

    assert everything.status_code == 200
    assert everything.context["cl"].result_count == 2
    assert contacts.context["cl"].result_count == 1
    assert from_users.context["cl"].result_count == 1
    assert to_customers.context["cl"].result_count == 2


def test_entity_picker_searches_every_kind(manager):
    CustomerFactory(label="Carter Industries")
    ContactFactory(name="Samantha Carter")
    UserFactory(username="scarter", last_name="Carter")

    response = manager.get("/admin/relations/relation/entity-autocomplete/", {"term": "carter"})

    texts = sorted(r["text"].split(":")[0] for r in response.json()["results"])
    assert texts == ["Contact", "Customer", "User"]
    assert all(":" in r["id"] for r in response.json()["results"])


def test_entity_picker_needs_staff(client):
    response = client.get("/admin/relations/relation/entity-autocomplete/", {"term": "x"})

    assert response.status_code == 302


def test_user_admin_has_relations_and_history(manager, superuser):
    customer = CustomerFactory(label="Acme")
    relation_create(subject=superuser, obj=customer, relation="owner")

    page = manager.get(f"/admin/users/user/{superuser.pk}/change/").content.decode()
    history = manager.get(f"/admin/users/user/{superuser.pk}/history/")

    assert "Customer: Acme" in page
    assert history.status_code == 200

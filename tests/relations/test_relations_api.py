"""Relations between any two registered entities, seen from either end."""

import pytest

from customers.models import Customer
from relations.api.serializers import iso_utc
from relations.models import Relation
from relations.registry import entities
from tests.factories import ContactFactory, CustomerFactory, UserFactory
from tests.helpers import assert_status, client_for, post_json
from tests.registry_app.models import Gadget

pytestmark = pytest.mark.django_db

CUSTOMER_BODY = {"label": "Acme", "allowed_statuses": [{"status": "Open", "category": "PENDING"}]}


def relations(api, path, query=""):
    response = api.get(f"/api/{path}/relations{query}")
    assert_status(response, 200)
    return response.json()["_embedded"]["nter:relations"]


def relate(api, path, relation, entity):
    reference = {"entity_type": entities.of(entity).code, "entity_id": entity.public_id}
    return post_json(api, f"/api/{path}/relations", {"relation": relation, "entity": reference})


def test_a_customer_created_through_the_api_lists_its_creator(api, superuser):
    customer_id = post_json(api, "/api/customers", CUSTOMER_BODY).json()["customer_id"]

    [created] = relations(api, f"customers/{customer_id}")

    assert created["relation"] == "created"
    assert created["label"] == "Created By"
    assert created["direction"] == "INWARD"
    assert created["entity"]["entity_type"] == "USER"
    assert created["entity"]["entity_id"] == superuser.public_id
    assert created["entity"]["label"] == superuser.name
    assert set(created) == {
        "relation_id",
        "relation",
        "label",
        "direction",
        "created",
        "updated",
        "entity",
        "_links",
    }
    assert set(created["entity"]) == {"entity_type", "entity_id", "label", "created", "updated"}
    assert created["_links"]["nter:user"]["href"] == (
        f"http://testserver/api/users/{superuser.public_id}"
    )


def test_a_relation_is_outward_on_the_subject_and_inward_on_the_object(api):
    customer, user = CustomerFactory(), UserFactory(first_name="Bob", last_name="Alice")

    response = relate(api, f"customers/{customer.public_id}", "owner", user)

    assert_status(response, 201)
    outward = response.json()
    assert (outward["direction"], outward["relation"], outward["label"]) == (
        "OUTWARD",
        "owner",
        "Owner Of",
    )
    assert outward["entity"]["label"] == "Bob Alice"
    [inward] = relations(api, f"users/{user.public_id}")
    assert inward["direction"] == "INWARD"
    assert inward["entity"] == {
        "entity_type": "CUS",
        "entity_id": customer.public_id,
        "label": customer.label,
        "created": customer.created.isoformat().replace("+00:00", "Z"),
        "updated": customer.updated.isoformat().replace("+00:00", "Z"),
    }
    assert inward["relation_id"] != outward["relation_id"]
    assert Relation.objects.count() == 1


def test_every_link_of_a_relation_resolves(api):
    customer, user = CustomerFactory(), UserFactory()
    created = relate(api, f"customers/{customer.public_id}", "viewer", user).json()

    for link in created["_links"].values():
        assert_status(api.get(link["href"]), 200)
    assert api.get(created["_links"]["self"]["href"]).json() == created


def test_delete_answers_the_relation_and_removes_it_from_both_ends(api):
    customer, user = CustomerFactory(), UserFactory()
    created = relate(api, f"customers/{customer.public_id}", "tech", user).json()

    [inward] = relations(api, f"users/{user.public_id}")
    response = api.delete(f"/api/users/{user.public_id}/relations/{inward['relation_id']}")

    assert_status(response, 200)
    assert response.json() == inward
    assert relations(api, f"users/{user.public_id}") == []
    assert relations(api, f"customers/{customer.public_id}") == []
    assert_status(api.get(created["_links"]["self"]["href"]), 404)


@pytest.mark.parametrize("relation_id", ["nope", "TzE", "STk5OTk5"])
def test_unknown_relation_ids_are_404(api, relation_id):
    customer = CustomerFactory()

    response = api.delete(f"/api/customers/{customer.public_id}/relations/{relation_id}")

    assert_status(response, 404)


def test_another_entitys_relation_id_is_404_here(api):
    first, second, user = CustomerFactory(), CustomerFactory(), UserFactory()
    theirs = relate(api, f"customers/{first.public_id}", "viewer", user).json()

    response = api.delete(f"/api/customers/{second.public_id}/relations/{theirs['relation_id']}")

    assert_status(response, 404)
    assert Relation.objects.count() == 1


def test_the_same_relation_twice_is_a_conflict(api):
    customer, user = CustomerFactory(), UserFactory()
    relate(api, f"customers/{customer.public_id}", "viewer", user)

    response = relate(api, f"customers/{customer.public_id}", "viewer", user)

    assert_status(response, 409)
    assert response.json()["title"] == "Conflict"
    assert Relation.objects.count() == 1


def test_the_same_pair_may_be_related_in_several_ways(api):
    customer, user = CustomerFactory(), UserFactory()

    assert_status(relate(api, f"customers/{customer.public_id}", "viewer", user), 201)
    assert_status(relate(api, f"customers/{customer.public_id}", "editor", user), 201)
    assert len(relations(api, f"users/{user.public_id}")) == 2


@pytest.mark.parametrize(
    ("body", "keyword", "data_path"),
    [
        ({"relation": "friend"}, "enum", ".relation"),
        ({"relation": 3}, "enum", ".relation"),
        ({"entity": {"entity_type": "PLANET", "entity_id": "x"}}, "enum", ".entity.entity_type"),
        (
            {"entity": {"entity_type": "USER", "entity_id": "no such"}},
            "pattern",
            ".entity.entity_id",
        ),
        (
            {"entity": {"entity_type": "USER", "entity_id": "missing"}},
            "exists",
            ".entity.entity_id",
        ),
        ({"entity": {"entity_type": "USER"}}, "required", ".entity.entity_id"),
        ({"entity": "USER"}, "type", ".entity"),
        (
            {"entity": {"entity_type": "USER", "entity_id": "x", "x": 1}},
            "additionalProperties",
            ".entity.x",
        ),
        ({"colour": "blue"}, "additionalProperties", ".colour"),
    ],
)
def test_invalid_relation_bodies_are_400_and_store_nothing(api, body, keyword, data_path):
    customer, user = CustomerFactory(), UserFactory()
    payload = {
        "relation": "viewer",
        "entity": {"entity_type": "USER", "entity_id": user.public_id},
        **body,
    }

    response = post_json(api, f"/api/customers/{customer.public_id}/relations", payload)

    assert_status(response, 400)
    messages = response.json()["validation_messages"]
    assert (keyword, data_path) in {(m["keyword"], m["dataPath"]) for m in messages}, messages
    assert not Relation.objects.exists()


def test_an_entity_cannot_be_related_to_itself(api):
    customer = CustomerFactory()

    response = relate(api, f"customers/{customer.public_id}", "owner", customer)

    assert_status(response, 400)
    assert response.json()["validation_messages"][0]["dataPath"] == ".entity"
    assert not Relation.objects.exists()


def test_relations_of_an_unknown_entity_are_404(api):
    assert_status(api.get("/api/customers/nobody/relations"), 404)
    user = UserFactory()
    assert_status(relate(api, "customers/nobody", "viewer", user), 404)


def test_filters_narrow_the_page(api):
    customer = CustomerFactory()
    user, contact = UserFactory(), ContactFactory(customers=[customer])
    relate(api, f"customers/{customer.public_id}", "viewer", user)
    base = f"customers/{customer.public_id}"

    assert [r["relation"] for r in relations(api, base, "?filter[relation]=contact")] == ["contact"]
    assert [r["entity"]["entity_id"] for r in relations(api, base, "?filter[entity_type]=CON")] == [
        contact.public_id
    ]
    assert [r["relation"] for r in relations(api, base, "?filter[direction]=OUTWARD")] == ["viewer"]
    assert [r["relation"] for r in relations(api, base, "?filter[direction]=INWARD")] == ["contact"]
    combined = relations(api, base, "?filter[direction]=INWARD&filter[entity_type]=USER")
    assert combined == []


@pytest.mark.parametrize(
    "query", ["?filter[relation]=friend", "?filter[direction]=UP", "?filter[entity_type]=PLANET"]
)
def test_invalid_filter_values_are_400(api, query):
    customer = CustomerFactory()

    response = api.get(f"/api/customers/{customer.public_id}/relations{query}")

    assert_status(response, 400)
    assert response.json()["validation_messages"][0]["dataPath"].startswith(".filter[")


def test_contacts_are_contact_relations(api):
    customer = CustomerFactory()
    contact = post_json(
        api,
        f"/api/customers/{customer.public_id}/contacts",
        {"label": "Major", "name": "Samantha Carter", "email": "s.carter@sg1.com"},
    ).json()

    on_customer = relations(api, f"customers/{customer.public_id}", "?filter[relation]=contact")
    on_contact = relations(api, f"contacts/{contact['contact_id']}", "?filter[relation]=contact")

    assert [(r["direction"], r["label"], r["entity"]["entity_id"]) for r in on_customer] == [
        ("INWARD", "Contact For", contact["contact_id"])
    ]
    assert [(r["direction"], r["entity"]["entity_id"]) for r in on_contact] == [
        ("OUTWARD", customer.public_id)
    ]


def test_removing_the_contact_relation_unlinks_the_contact(api):
    customer = CustomerFactory()
    ContactFactory(customers=[customer])
    [link] = relations(api, f"customers/{customer.public_id}", "?filter[relation]=contact")

    api.delete(f"/api/customers/{customer.public_id}/relations/{link['relation_id']}")

    contacts = api.get(f"/api/customers/{customer.public_id}/contacts").json()
    assert contacts["total_count"] == 0


def test_deleting_an_entity_removes_its_relations_on_both_sides(api):
    customer_id = post_json(api, "/api/customers", CUSTOMER_BODY).json()["customer_id"]
    customer = Customer.objects.get(public_id=customer_id)
    contact, user = ContactFactory(customers=[customer]), UserFactory()
    relate(api, f"customers/{customer_id}", "viewer", user)
    assert Relation.objects.count() == 3

    assert_status(api.delete(f"/api/customers/{customer_id}"), 205)

    assert not Relation.objects.exists()
    assert relations(api, f"contacts/{contact.public_id}") == []
    assert relations(api, f"users/{user.public_id}") == []


def test_a_relations_page_costs_the_same_whatever_the_mix(api, django_assert_max_num_queries):
    customer, other_customer = CustomerFactory(), CustomerFactory()
    single_kind = CustomerFactory()
    for _ in range(6):
        relate(api, f"customers/{single_kind.public_id}", "viewer", UserFactory())
    for index in range(6):
        relate(api, f"customers/{customer.public_id}", "viewer", UserFactory())
        ContactFactory(customers=[customer])
        relate(
            api,
            f"customers/{customer.public_id}",
            "owner",
            Gadget.objects.create(label=f"G{index}"),
        )
    relate(api, f"customers/{customer.public_id}", "backup", other_customer)
    api.get(f"/api/customers/{customer.public_id}/relations?limit=1")  # warm caches

    counts = []
    for url in [
        f"/api/customers/{customer.public_id}/relations?limit=1",
        f"/api/customers/{customer.public_id}/relations?limit=100",
        f"/api/customers/{single_kind.public_id}/relations?limit=100",
    ]:
        with django_assert_max_num_queries(7) as captured:
            page = api.get(url).json()
        counts.append(len(captured.captured_queries))
    assert page["total_count"] == 6
    assert (
        len(
            {
                r["entity"]["entity_type"]
                for r in api.get(f"/api/customers/{customer.public_id}/relations?limit=100").json()[
                    "_embedded"
                ]["nter:relations"]
            }
        )
        == 4
    )
    assert len(set(counts)) == 1, counts


def test_relations_page_across_pages(api):
    customer = CustomerFactory()
    users = UserFactory.create_batch(5)
    for user in users:
        relate(api, f"customers/{customer.public_id}", "viewer", user)

    first = api.get(f"/api/customers/{customer.public_id}/relations?limit=2").json()
    seen = [r["entity"]["entity_id"] for r in first["_embedded"]["nter:relations"]]
    url = first["_links"].get("next", {}).get("href")
    while url:
        page = api.get(url).json()
        seen += [r["entity"]["entity_id"] for r in page["_embedded"]["nter:relations"]]
        url = page["_links"].get("next", {}).get("href")

    assert seen == [u.public_id for u in users]
    assert first["total_count"] == 5


def test_a_newly_registered_model_gets_relation_and_diff_endpoints(api, superuser):
    gadget = Gadget.objects.create(label="Sprocket")
    customer = CustomerFactory()

    created = relate(api, f"gadgets/{gadget.public_id}", "allocated", customer)
    assert_status(created, 201)
    assert created.json()["_links"]["nter:customer"]["href"].endswith(
        f"/api/customers/{customer.public_id}"
    )
    [seen_from_customer] = relations(api, f"customers/{customer.public_id}")
    assert seen_from_customer["entity"] == {
        "entity_type": "GAD",
        "entity_id": gadget.public_id,
        "label": "Sprocket",
        "created": gadget.created.isoformat().replace("+00:00", "Z"),
        "updated": gadget.updated.isoformat().replace("+00:00", "Z"),
    }
    assert seen_from_customer["_links"]["nter:gadget"]["href"].endswith(
        f"/api/gadgets/{gadget.public_id}"
    )

    gadget._history_user = superuser
    gadget.colour = "teal"
    gadget.save()
    diffs = api.get(f"/api/gadgets/{gadget.public_id}/diff").json()["_embedded"]["nter:diffs"]
    assert (diffs[0]["property"], diffs[0]["old_value"], diffs[0]["new_value"]) == (
        "colour",
        "",
        "teal",
    )
    assert diffs[0]["by_user"]["user_id"] == superuser.public_id

    gadget.delete()
    assert not Relation.objects.exists()


def test_users_relations_are_served(db):
    user = UserFactory()
    client = client_for(UserFactory(is_superuser=True))
    customer = CustomerFactory()

    relate(client, f"users/{user.public_id}", "collaborator", customer)

    [link] = relations(client, f"users/{user.public_id}")
    assert (link["direction"], link["label"]) == ("OUTWARD", "Collaborator On")


@pytest.mark.parametrize(
    "written",
    [
        "2026-11-25 02:18:20.876880",  # SQLite
        "2026-11-25T02:18:20.87688+00:00",  # PostgreSQL drops trailing zeros
    ],
)
def test_the_other_ends_dates_read_alike_whatever_the_database(written):
    assert iso_utc(written) == "2026-11-25T02:18:20.876880Z"


def test_linking_an_entity_you_cannot_read_answers_like_a_missing_one(db):
    from tests.factories import ContactFactory, CustomerFactory
    from tests.helpers import client_with

    customer = CustomerFactory()
    hidden = ContactFactory()
    client = client_with("customer:attach")
    url = f"/api/customers/{customer.public_id}/relations"

    def link(entity_id):
        body = {"relation": "contact", "entity": {"entity_type": "CON", "entity_id": entity_id}}
        return client.post(url, body, format="json")

    unreadable, missing = link(hidden.public_id), link("no-such-contact")

    assert unreadable.status_code == missing.status_code == 400
    assert unreadable.json() == {
        **missing.json(),
        "validation_messages": [
            {**m, "message": m["message"].replace("no-such-contact", hidden.public_id)}
            for m in missing.json()["validation_messages"]
        ],
    }
    assert not Relation.objects.filter(relation="contact").exists()

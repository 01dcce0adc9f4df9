"""The foundation's customer-contact links survive the move to relations."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("customers", "0001_initial"), ("relations", "0001_initial")]
AFTER = [("customers", "0002_contacts_as_relations_and_history")]


@pytest.mark.django_db(transaction=True)
def test_contact_links_become_contact_relations():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Customer, Contact = (
        old.get_model("customers", "Customer"),
        old.get_model("customers", "Contact"),
    )
    customer = Customer.objects.create(
        public_id="c1", label="Acme", allowed_statuses=[{"status": "Open", "category": "PENDING"}]
    )
    contact = Contact.objects.create(public_id="k1", label="Buyer", name="Sam", email="s@x.com")
    customer.contacts.add(contact)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.contenttypes.models import ContentType

    from customers.models import Customer as CurrentCustomer
    from customers.selectors import customer_contacts

    # A committing test that ran before flushed the content types, which come back with new
    # ids: the process-wide cache of their ids is stale.
    ContentType.objects.clear_cache()

    acme = CurrentCustomer.objects.get(public_id="c1")
    assert [c.public_id for c in customer_contacts(acme)] == ["k1"]

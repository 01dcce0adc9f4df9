"""A manager tags a customer in the admin without typing JSON: labels are tags added with Enter
or a comma and removed with their remove button; the list then filters by them."""

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import expect

from customers.models import Customer
from tests.factories import CustomerFactory
from users.roles import FloorRole
from users.services import user_create

pytestmark = pytest.mark.django_db(transaction=True)
floor_roles = importlib.import_module("batches.migrations.0004_floor_roles")

PASSWORD = "Labels-Pass-2026"


def test_labels_are_tags_in_the_admin(sessions):
    floor_roles.create_roles(django_apps, None)
    user_create(username="maria", role=FloorRole.MANAGER, password=PASSWORD)
    customer = CustomerFactory(label="Acme", labels=["retail"])
    CustomerFactory(label="Globex")
    session = sessions()
    session.sign_in("maria", PASSWORD)
    page = session.open(f"/admin/customers/customer/{customer.pk}/change/")

    entry = page.locator(".niagara-labels-entry")
    entry.fill("East")
    entry.press("Enter")
    entry.press_sequentially("q4-rollout,")
    page.get_by_role("button", name="Remove label retail").click()
    tags = [text.split()[0] for text in page.locator(".niagara-label").all_inner_texts()]
    assert tags == ["east", "q4-rollout"]
    page.click("input[name=_save]")

    page.wait_for_url("**/admin/customers/customer/")
    assert Customer.objects.get(pk=customer.pk).labels == ["east", "q4-rollout"]
    page.get_by_role("link", name="q4-rollout").click()
    page.wait_for_url("**/admin/customers/customer/?label=q4-rollout")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list tbody")).to_contain_text("Acme")

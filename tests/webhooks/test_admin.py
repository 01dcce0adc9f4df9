"""Webhooks in the admin, as a production manager uses them: a form with checkboxes, the secret
shown once, a test message and a replay, and another customer's webhooks nowhere."""

import pytest
from django.contrib.messages import get_messages

from tests.users.test_shared_floor_admin import signed_in
from webhooks.models import Delivery, Webhook

pytestmark = pytest.mark.django_db


def test_a_manager_subscribes_their_customer_with_a_form(floors):
    acme = floors["acme"]
    maria = signed_in(acme.manager)
    form = maria.get("/admin/webhooks/webhook/add/")
    assert form.status_code == 200
    page = form.content.decode()
    assert 'type="checkbox"' in page and "CYC.status-changed" in page
    assert "Globex" not in page  # the customer picker offers Acme alone

    response = maria.post(
        "/admin/webhooks/webhook/add/",
        {
            "label": "Acme ERP",
            "customer": acme["customer"].pk,
            "url": "https://erp.acme.example/niagara",
            "events": ["CYC.status-changed", "WOR.complete"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    made = Webhook.objects.get(label="Acme ERP")
    assert made.customer == acme["customer"] and made.events == [
        "CYC.status-changed",
        "WOR.complete",
    ]
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(made.secret in message for message in shown)  # the secret, once


def test_a_manager_sends_a_test_and_replays_from_the_lists(floors):
    acme = floors["acme"]
    maria = signed_in(acme.manager)
    hook = acme["webhook"]
    before = Delivery.objects.filter(webhook=hook).count()
    sent = maria.post(
        "/admin/webhooks/webhook/",
        {"action": "send_test", "_selected_action": [hook.pk]},
    )
    assert sent.status_code == 302
    assert Delivery.objects.filter(webhook=hook).count() == before + 1
    delivery = Delivery.objects.filter(webhook=hook).latest("id")
    Delivery.objects.filter(pk=delivery.pk).update(status="failed")
    replayed = maria.post(
        "/admin/webhooks/delivery/",
        {"action": "replay", "_selected_action": [delivery.pk]},
    )
    assert replayed.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending"


def test_another_customers_webhooks_and_deliveries_are_nowhere(floors):
    maria = signed_in(floors["acme"].manager)
    globex_hook = floors["globex"]["webhook"]
    assert "Globex" not in maria.get("/admin/webhooks/webhook/").content.decode()
    assert "Acme hook" in maria.get("/admin/webhooks/webhook/").content.decode()
    assert maria.get(f"/admin/webhooks/webhook/{globex_hook.pk}/change/").status_code in (302, 404)
    globex_delivery = Delivery.objects.filter(webhook=globex_hook).first()
    page = maria.get(f"/admin/webhooks/delivery/{globex_delivery.pk}/change/")
    assert page.status_code in (302, 404)
    # The shop's machinery is its administrators': a manager sees no queue.
    assert maria.get("/admin/django_tasks_database/dbtaskresult/").status_code == 403


def test_a_technician_has_no_webhooks_page(floors):
    tess = signed_in(floors["acme"].technician)
    assert tess.get("/admin/webhooks/webhook/").status_code == 403

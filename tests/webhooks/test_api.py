"""Webhooks over the API as their users meet them: a manager of one customer beside another
customer's, a technician, bad input, and lists whose cost does not grow."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.helpers import assert_problem, assert_status, client_for, post_json
from webhooks import services
from webhooks.models import Attempt, Delivery, Webhook

pytestmark = pytest.mark.django_db


def hook_body(customer, **extra):
    return {
        "url": "https://erp.acme.example/hook",
        "events": ["CYC.status-changed"],
        "customer": {"customer_id": customer.public_id},
        **extra,
    }


def test_a_manager_manages_their_customers_webhooks_alone(floors):
    acme, globex = floors["acme"], floors["globex"]
    maria = client_for(acme.manager)

    listed = maria.get("/api/webhooks").json()
    assert [w["label"] for w in listed["_embedded"]["nter:webhooks"]] == ["Acme hook"]
    assert_status(maria.get(f"/api/webhooks/{globex['webhook'].public_id}"), 404)
    assert_status(maria.get(f"/api/webhooks/{globex['webhook'].public_id}/deliveries"), 404)
    # Another customer is no customer to her (a reference to it is a 400, as to nothing).
    assert_status(post_json(maria, "/api/webhooks", hook_body(globex["customer"])), 400)
    # No customer: every customer's events, which only a shop-wide manager may ask for.
    body = hook_body(acme["customer"])
    del body["customer"]
    assert_status(post_json(maria, "/api/webhooks", body), 403)
    made = post_json(maria, "/api/webhooks", hook_body(acme["customer"]))
    assert_status(made, 201)
    assert made.json()["customer"]["customer_id"] == acme["customer"].public_id
    assert Webhook.objects.filter(customer=globex["customer"]).count() == 1


def test_a_technician_neither_sees_nor_makes_webhooks(floors):
    tess = client_for(floors["acme"].technician)
    assert tess.get("/api/webhooks").json()["total_count"] == 0
    assert_status(post_json(tess, "/api/webhooks", hook_body(floors["acme"]["customer"])), 403)
    assert_status(tess.get(f"/api/webhooks/{floors['acme']['webhook'].public_id}"), 404)


def test_bad_input_is_a_problem_and_changes_nothing(api, floors):
    before = Webhook.objects.count()
    unknown = post_json(api, "/api/webhooks", {"url": "https://x.example", "events": ["CYC.eaten"]})
    assert_problem(unknown, 400, "Bad Request")
    no_scheme = post_json(api, "/api/webhooks", {"url": "ftp://x", "events": ["WOR.created"]})
    assert_problem(no_scheme, 400, "Bad Request")
    weak = post_json(
        api, "/api/webhooks", {"url": "https://x.example", "events": ["WOR.created"], "secret": "x"}
    )
    assert_problem(weak, 400, "Bad Request")
    with override_settings(WEBHOOKS_ALLOW_LOOPBACK=False):
        local = post_json(
            api, "/api/webhooks", {"url": "http://127.0.0.1:9/hook", "events": ["WOR.created"]}
        )
    assert_problem(local, 400, "Bad Request")
    assert "local address" in str(local.json())
    assert Webhook.objects.count() == before


def test_lists_cost_the_same_for_few_and_many_rows(api, floors):
    webhook = floors["acme"]["webhook"]
    with CaptureQueriesContext(connection) as few_hooks:
        assert_status(api.get("/api/webhooks"), 200)
    with CaptureQueriesContext(connection) as few_attempts:
        assert_status(api.get(f"/api/webhooks/{webhook.public_id}/deliveries"), 200)
    for number in range(12):
        post_json(api, "/api/webhooks", hook_body(floors["acme"]["customer"], label=f"h{number}"))
        delivery = services.webhook_send_test(webhook, actor=None)
        Attempt.objects.create(
            delivery=delivery, webhook=webhook, number=1, response_code=500 + number
        )
    assert Delivery.objects.filter(webhook=webhook).count() > 12
    with CaptureQueriesContext(connection) as many_hooks:
        page = api.get("/api/webhooks").json()
    with CaptureQueriesContext(connection) as many_attempts:
        attempts = api.get(f"/api/webhooks/{webhook.public_id}/deliveries").json()
    assert page["total_count"] >= 14 and len(attempts["_embedded"]["nter:webhook-deliveries"]) == 12
    assert len(many_hooks) == len(few_hooks)
    assert len(many_attempts) == len(few_attempts)

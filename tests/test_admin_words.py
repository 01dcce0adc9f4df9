"""A manager's pages speak a manager's language: no "Public id" (the API reference waits,
closed, under "For integrators"), no inward/outward relations, no "Input filter" JSON box, no
JSON documents or Python lists shown as text."""

import re

import pytest
from django.contrib import admin

from tests.factories import LocationFactory, ManufacturerFactory, QueueFactory, make_workflow
from tests.tenancy import plant

pytestmark = pytest.mark.django_db
DEVELOPER_WORDS = ("Public id", "Public ID", "inward", "outward", "Input filter", "Entity")


def _text(html: str) -> str:
    body = html[html.index('id="content"') :]
    body = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_no_developer_words_on_the_pages_a_manager_opens(client):
    shared = dict(
        workflow=make_workflow(label="Provision tablet"),
        manufacturer=ManufacturerFactory(label="Apple"),
        shared_queue=QueueFactory(location=LocationFactory(label="Albany hub"), label="Shared"),
    )
    acme = plant("Acme", people=("maria", "tess"), **shared)
    client.force_login(acme.manager)
    opened = 0
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        listing = client.get(base)
        if listing.status_code != 200:
            continue
        pages = [listing]
        first = listing.context["cl"].result_list[:1]
        if first:
            pages.append(client.get(f"{base}{first[0].pk}/change/"))
        for page in pages:
            assert page.status_code == 200, page.request["PATH_INFO"]
            text = _text(page.content.decode())
            found = [word for word in DEVELOPER_WORDS if word in text]
            found += re.findall(r"""\{["']|\[["']""", text)  # a JSON document or a list
            assert found == [], (page.request["PATH_INFO"], found)
            opened += 1
    assert opened > 20

"""Helpers for tests that go through the public HTTP surface."""

import copy
import json
import socket
import threading
from html.parser import HTMLParser

from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from users.models import PersonalToken, Role, RoleHolding
from users.permission_graph import GRAPH
from users.services import token_issue

from .factories import UserFactory


def client_for(user) -> APIClient:
    """An API client with a new personal token of ``user``, as if used a moment ago: a token
    records its last use at most once per ``LAST_USED_EVERY`` (one write, whatever the page or
    the table), which would otherwise land in the first request a query-count test measures."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)}")
    PersonalToken.objects.filter(user=user).update(last_used=timezone.now())
    return client


def in_force(*permissions: str) -> list[str]:
    """Return ``permissions`` with every permission they require, transitively: the least a
    role must grant for them to be in force."""
    found, pending = [], list(permissions)
    while pending:
        name = pending.pop(0)
        if name not in found:
            found.append(name)
            pending.extend(GRAPH[name].required)
    return found


def holder_of(*permissions: str, on=None, user=None):
    """Return a user (fresh unless given) holding a new role granting ``permissions`` and
    what they require, everywhere or ``on`` one entity."""
    user = user or UserFactory()
    role = Role.objects.create(
        label=f"Role {Role.objects.count() + 1} for {user.username}",
        grants=[
            {"permission": name, "label": name, "match_location": False}
            for name in in_force(*permissions)
        ],
    )
    RoleHolding.objects.create(role=role, user=user, entity=on)
    return user


def client_with(*permissions: str, on=None) -> APIClient:
    """Return a client for a fresh user holding exactly ``permissions`` (graph names, with
    what they require), everywhere or ``on`` one entity."""
    return client_for(holder_of(*permissions, on=on))


def assert_status(response, expected: int):
    """Assert the status code, showing the body when it is wrong."""
    body = response.content.decode()[:2000]
    assert response.status_code == expected, f"{response.status_code} != {expected}: {body}"


def assert_problem(response, status: int, title: str):
    assert_status(response, status)
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] == title
    assert problem["type"] == "https://docs.nterprise.com/api/problem/" + title.replace(" ", "")
    assert isinstance(problem["detail"], str) and problem["detail"]
    return problem


def post_json(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def put_json(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def patch_json(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def split(client, work_order, queue, number_cycles, total=1, **extra):
    """``PATCH /batches``: place ``total`` batches of ``number_cycles`` of the work order."""
    body = {
        "total": total,
        "work_order": {"work_order_id": work_order.public_id},
        "queue": {"queue_id": queue.public_id},
        "number_cycles": number_cycles,
        **extra,
    }
    return patch_json(client, "/api/batches", body)


def formset_management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    """Return the management-form fields an admin inline formset expects in a POST."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def changeform_data(response) -> dict:
    """Return the POST body a browser would submit from an admin change page, unchanged.

    Reads the page's main form (``<form id="…_form">``) as a browser does: inputs, checked
    boxes, selected options and text areas, skipping disabled controls. A test then states only
    what it changes.
    """
    parser = _FormParser()
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: str | None = None  # the open <select>'s name
        self.first_option: str | None = None
        self.multiple = False
        self.textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = (attrs.get("id") or "").endswith("_form")
        if not self.in_form or "disabled" in attrs:
            return
        if tag == "option" and self.select:
            value = attrs.get("value", "")
            self.first_option = value if self.first_option is None else self.first_option
            if "selected" in attrs:
                self._add(self.select, value)
        if not attrs.get("name"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            checked = kind not in ("checkbox", "radio") or "checked" in attrs
            if kind not in ("submit", "button", "image", "file") and checked:
                self._add(attrs["name"], attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select, self.first_option = attrs["name"], None
            self.multiple = "multiple" in attrs
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self._add(self.textarea, "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self.select:
            # A single select with nothing selected submits its first option.
            if self.select not in self.data and not self.multiple and self.first_option is not None:
                self._add(self.select, self.first_option)
            self.select = None
        elif tag == "textarea" and self.textarea:
            # Browsers drop the one newline that may follow <textarea>.
            self.data[self.textarea][-1] = self.data[self.textarea][-1].removeprefix("\n")
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data


def assert_integrity() -> None:
    """Run ``manage.py check_integrity``: every invariant holds (it raises otherwise)."""
    import io

    from django.core.management import call_command

    call_command("check_integrity", stdout=io.StringIO())


def run_together(workers) -> None:
    """Run each callable in its own thread, released at once (a barrier); each thread closes
    its database connections when done."""
    barrier = threading.Barrier(len(workers))

    def run(work):
        try:
            barrier.wait()
            work()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def clients_of(user, count: int) -> list[APIClient]:
    """Return ``count`` API clients sharing one bearer token of ``user``."""
    token = token_issue(user=user)
    clients = []
    for _ in range(count):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        clients.append(client)
    return clients


def as_listed(item_schema: dict) -> dict:
    """The docs' schema of an item as list pages answer it (issue 24): each embedded parent (a
    property or an ``_embedded`` entry holding an object with an ``…_id``) may be its summary —
    its id, label and self link — instead of the whole parent."""
    schema = copy.deepcopy(item_schema)
    properties = schema.get("properties", {})
    for name, value in properties.items():
        if name == "_embedded":
            for entry in value.get("properties", {}).values():
                if isinstance(entry.get("items"), dict) and _parent_id(entry["items"]):
                    entry["items"] = _or_summary(entry["items"])
        elif isinstance(value, dict) and _parent_id(value):
            properties[name] = _or_summary(value)
    return schema


def _parent_id(schema: dict) -> str | None:
    return next((key for key in schema.get("required", []) if key.endswith("_id")), None)


def _or_summary(schema: dict) -> dict:
    summary = {
        "type": "object",
        "required": [_parent_id(schema), "_links"],
        "properties": {"_links": {"type": "object", "required": ["self"]}},
    }
    return {"anyOf": [schema, summary]}


def redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    """Whether a Redis answers there (the tests that need a real one skip without it)."""
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True

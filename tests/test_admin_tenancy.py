"""The admin tenancy contract: with two customers' floors side by side, a manager and a
technician of Acme see nothing of Globex anywhere in the admin — changelists and their
sidebars, searches, change, delete and history pages, exports, autocompletes, the floor pages
(cockpit, station, runs, queue boards, splits) — and no page answers 5xx.

The pages are found, not listed: every registered admin, every row of its model, every
autocomplete field and every page its ``get_urls`` adds. A new model or admin is covered
without editing this test (``tests/tenancy.py`` plants one of each; the coverage test below
fails until it does).
"""

import io
import re

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.test import Client
from django.urls import NoReverseMatch, reverse
from import_export.admin import ExportMixin

from batches.cockpit import floor_queues
from niagara.admin_base import NiagaraInline, NiagaraModelAdmin
from relations.services import relation_create
from tests.factories import (
    LocationFactory,
    ManufacturerFactory,
    QueueFactory,
    UserFactory,
    make_workflow,
)
from tests.helpers import changeform_data, client_for
from tests.tenancy import SHARED_CATALOGUE, plant
from users.access import Access
from users.models import Role
from users.services import role_grant

pytestmark = pytest.mark.django_db

SECRET = "globex"  # in every label of the other customer's objects, in any case


@pytest.fixture
def floors():
    workflow = make_workflow(label="Provision tablet")
    manufacturer = ManufacturerFactory(label="Apple")
    shared_queue = QueueFactory(location=LocationFactory(label="Albany hub"), label="Shared lane")
    shared = dict(workflow=workflow, manufacturer=manufacturer, shared_queue=shared_queue)
    acme = plant("Acme", people=("maria", "tess"), **shared)
    before = {model: _max_pk(model) for model in admin.site._registry}
    globex = plant("Globex", people=("greg", "gail"), **shared)
    # A relation across the two: Acme's pages must not show its other end.
    relation_create(subject=globex["customer"], obj=acme["customer"], relation="collaborator")
    # A manager granted on the customer alone (no site), as a shop may grant it.
    narrow = UserFactory(username="nora")
    role_grant(Role.objects.get(label="Production manager"), user=narrow, entity=acme["customer"])
    return {"acme": acme, "globex": globex, "before": before, "narrow": narrow}


def _max_pk(model) -> int:
    if model._meta.pk.get_internal_type() not in ("AutoField", "BigAutoField"):
        return 0  # keyed by UUID (the task queue, which is the shop's): no "newest" by key
    return model._base_manager.aggregate(top=Max("pk"))["top"] or 0


def signed_in(user) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _admin_url(name: str, *args) -> str | None:
    try:
        return reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return None


def _custom_pages(model_admin, pks_by_name: dict[str, list[int]]) -> list[str]:
    """The pages an admin adds (``get_urls``) that take at most one id, with every planted id
    of the model their parameter names (``batch_id`` → batches, ``run_id`` → runs)."""
    stock = {
        f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_{suffix}"
        for suffix in ("changelist", "add", "history", "delete", "change", "autocomplete")
    }
    found = []
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None)
        if not name or name in stock or not hasattr(pattern, "pattern"):
            continue
        regex = pattern.pattern.regex
        params = re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)) or list(regex.groupindex)
        if not regex.groups:
            found.append(reverse(f"admin:{name}"))
        elif regex.groups == 1:
            stem = (params or ["object_id"])[0].removesuffix("_id")
            stem = {"run": "context", "object": model_admin.opts.model_name}.get(stem, stem)
            for pk in pks_by_name.get(stem, []):
                found.append(reverse(f"admin:{name}", args=[pk]))
    return found


def pages_of_the_admin(floors) -> list[tuple[str, str, dict | None]]:
    """Every admin page to ask: (method, url, POST body or None)."""
    pks_by_name = {
        model._meta.model_name: list(model._base_manager.values_list("pk", flat=True))
        for model in admin.site._registry
    }
    pages = [("GET", "/admin/", None), ("GET", "/admin/models/", None)]
    pages.append(("GET", "/admin/relations/relation/entity-autocomplete/?term=", None))
    for model, model_admin in admin.site._registry.items():
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        changelist = _admin_url(f"{info}_changelist")
        pages += [("GET", changelist, None), ("GET", f"{changelist}?q={SECRET[1:-1]}", None)]
        pages.append(("GET", f"{changelist}?_popup=1&_to_field=id", None))
        if isinstance(model_admin, ExportMixin):
            pages.append(("EXPORT", _admin_url(f"{info}_export"), None))
        for field in model_admin.autocomplete_fields:
            query = (
                f"app_label={model._meta.app_label}&model_name={model._meta.model_name}"
                f"&field_name={field}&term="
            )
            pages.append(("GET", f"/admin/autocomplete/?{query}", None))
        for pk in pks_by_name[model._meta.model_name]:
            for view in ("change", "history", "delete"):
                pages.append(("GET", _admin_url(f"{info}_{view}", pk), None))
        pages += [("GET", url, None) for url in _custom_pages(model_admin, pks_by_name)]
    return pages


def _ask(client, method: str, url: str):
    if method == "EXPORT":
        form = client.get(url)
        if form.status_code != 200:
            return form
        return client.post(url, {**changeform_data(form), "format": "0"})
    return client.get(url)


def leaks(client, pages) -> list[str]:
    found = []
    for method, url, _body in pages:
        response = _ask(client, method, url)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code >= 500:
            found.append(f"{method} {url}: {response.status_code}")
        elif SECRET in body.decode(errors="replace").lower():
            found.append(f"{method} {url}: shows {SECRET}")
    return found


@pytest.mark.parametrize("who", ["manager", "technician", "customer-only manager"])
def test_nothing_of_another_customer_appears_anywhere_in_the_admin(floors, who):
    viewer = floors["narrow"] if who == "customer-only manager" else getattr(floors["acme"], who)
    client = signed_in(viewer)
    pages = pages_of_the_admin(floors)

    assert leaks(client, pages) == []
    assert len(pages) > 300  # every page above was asked, not a handful


def test_the_viewers_see_their_own_floor(floors):
    """The contract above is not met by showing nothing: Acme's people see Acme's work."""
    acme = floors["acme"]
    maria, tess = signed_in(acme.manager), signed_in(acme.technician)
    for path in (
        "customers/customer",
        "workorders/workorder",
        "batches/batch",
        "queues/queue",
        "units/part",
        "units/unit",
        "notes/note",
    ):
        page = maria.get(f"/admin/{path}/")
        assert page.status_code == 200 and "Acme" in page.content.decode(), path
    board = maria.get(f"/admin/queues/queue/{acme['batches'][0].queue_id}/change/")
    assert acme["batches"][0].label in board.content.decode()
    assert acme["batches"][0].label in tess.get("/admin/batches/batch/").content.decode()
    station = tess.get("/admin/engine/context/station/").content.decode()
    assert acme["batches"][0].label in station


def test_every_registered_admin_and_inline_stands_on_the_one_base():
    """Forgetting the visibility rule is impossible: every admin and inline derives from the
    base that applies it, and none replaces the ``get_queryset`` that does."""
    strays = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if not isinstance(model_admin, NiagaraModelAdmin):
            strays.append(f"{label}: not a NiagaraModelAdmin")
        elif type(model_admin).get_queryset is not NiagaraModelAdmin.get_queryset:
            strays.append(f"{label}: get_queryset replaced")
        for inline in model_admin.inlines:
            if not issubclass(inline, NiagaraInline):
                strays.append(f"{label}: inline {inline.__name__} not a NiagaraInline")
            elif inline.get_queryset is not NiagaraInline.get_queryset:
                strays.append(f"{label}: inline {inline.__name__} replaces get_queryset")
    assert strays == []


def test_an_admin_that_replaces_get_queryset_is_refused():
    with pytest.raises(TypeError, match="get_rows"):

        class Leaky(NiagaraModelAdmin):
            def get_queryset(self, request):
                return super().get_queryset(request)


def test_every_model_with_an_admin_is_planted_for_both_customers(floors):
    """The contract covers a model only if Globex has rows of it: every registered model
    that is neither the shop's own (people, roles, API clients) nor the catalogue customers
    share (workflows, manufacturers) has a Globex row."""
    missing = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not model_admin.shop_wide
        and model not in SHARED_CATALOGUE
        and _max_pk(model) <= floors["before"][model]
    ]
    assert missing == [], "plant one of each in tests/tenancy.py"


def test_a_shared_queue_counts_for_each_viewer_what_they_see(floors):
    """One rule for numbers and bars: the shared lane holds one Acme and one Globex batch
    (3 cycles each); Acme's manager's counters, over the API and on the cockpit, count Acme's
    alone, and the cockpit's bar counts the same cycles as its number."""
    acme = floors["acme"]
    lane = acme["shared_batch"].queue
    api = client_for(acme.manager)

    counted = api.get(f"/api/queues/{lane.public_id}").json()
    assert (counted["total_batches"], counted["active_cycles"]) == (1, 3)
    listed = api.get("/api/queues?limit=100").json()["_embedded"]["nter:queues"]
    assert {row["queue_id"]: row["total_batches"] for row in listed}[lane.public_id] == 1
    embedded = api.get(f"/api/batches/{acme['shared_batch'].public_id}").json()["queue"]
    assert embedded["total_batches"] == 1
    everyone = client_for(UserFactory(username="root", is_superuser=True))
    assert everyone.get(f"/api/queues/{lane.public_id}").json()["total_batches"] == 2

    [row] = [row for row in floor_queues(Access(acme.manager)) if row.pk == lane.pk]
    assert row.total_batches == 1
    assert row.active_cycles == sum(row.by_category.values()) == 3


def test_staff_export_what_a_person_may_read(floors):
    """``export_data KIND --as USER``: a command acting for a user asks the same layer."""
    for kind in ("customers", "batches", "work-orders"):
        out = io.StringIO()
        call_command("export_data", kind, "--as", floors["acme"].manager.username, stdout=out)
        assert "Acme" in out.getvalue() and SECRET not in out.getvalue().lower(), kind
    everything = io.StringIO()
    call_command("export_data", "customers", stdout=everything)
    assert "Globex" in everything.getvalue()
    with pytest.raises(CommandError, match="No active user"):
        call_command("export_data", "customers", "--as", "nobody", stdout=io.StringIO())

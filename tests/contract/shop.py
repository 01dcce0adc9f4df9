"""A small shop for the contract fuzzer: one of every entity, so generated requests can name
things that exist; and the repair of generated *valid* requests for the rules that a JSON
schema cannot state (references to existing entities, a status from the project's vocabulary,
dates in order, a step graph whose targets exist). Invalid requests are sent as generated."""

from datetime import timedelta

from django.utils import timezone

from actions.models import Notification
from actions.services import ActionFields, action_create
from attachments.services import AttachmentFields, attachment_upload
from batches.services import batches_create
from engine.services import Intake, context_start, cycle_take_next
from notes.services import NoteFields, note_create
from relations.registry import entities
from relations.services import relation_create
from reports.catalogue import BASES
from reports.models import Report
from tests.factories import (
    SIMPLE_STEPS,
    ContactFactory,
    CustomerFactory,
    ManufacturerFactory,
    PartFactory,
    ProgramFactory,
    ProjectFactory,
    QueueFactory,
    ResourceFactory,
    SubResourceFactory,
    UnitFactory,
    UserFactory,
    VendorFactory,
    make_work_order,
    make_workflow,
)
from tests.registry_app.models import Gadget
from users.models import Role
from webhooks.models import Attempt
from webhooks.services import WebhookFields, webhook_create, webhook_send_test

# Path parameters and body references name entities by ``<kind>_id``.
ID_NAMES = {
    "customer_id": "customer",
    "program_id": "program",
    "project_id": "project",
    "contact_id": "contact",
    "location_id": "location",
    "queue_id": "queue",
    "workflow_id": "workflow",
    "work_flow_id": "workflow",
    "work_order_id": "work_order",
    "batch_id": "batch",
    "cycle_id": "cycle",
    "user_id": "user",
    "tech_id": "user",
    "gadget_id": "gadget",
    "role_id": "role",
    "manufacturer_id": "manufacturer",
    "vendor_id": "vendor",
    "resource_id": "resource",
    "sub_resource_id": "sub_resource",
    "part_id": "part",
    "unit_id": "unit",
    "context_id": "context",
    "note_id": "note",
    "thread_id": "note",
    "attachment_id": "file",
    "webhook_id": "webhook",
    "delivery_id": "delivery",
    "action_id": "action",
    "notification_id": "notification",
    "report_id": "report",
}


READ_CUSTOMERS = [{"permission": "customer:read", "label": "Read", "match_location": False}]


def build() -> dict:
    customer = CustomerFactory(label="Contract Co")
    program = ProgramFactory(customer=customer, label="Contract program")
    project = ProjectFactory(program=program, label="Contract project")
    workflow = make_workflow(label="Contract flow")
    queue = QueueFactory(label="Contract queue")
    # At the queue's site: the workflow has a bill of materials there.
    work_order = make_work_order(
        project=project, cycles=[(100_000, workflow)], label="Fuzz", location=queue.location
    )
    user = UserFactory(username="contract-tech")
    batch = batches_create(
        actor=None, work_order=work_order, queue=queue, number_cycles=3, users=[user]
    )[0]
    contact = ContactFactory()
    part = PartFactory(customer=customer, label="Contract part")
    vendor = VendorFactory(label="Contract vendor")
    resource = ResourceFactory(location=queue.location, label="Contract station")
    sub_resource = SubResourceFactory(resource=resource, label="Contract port")
    unit = UnitFactory(
        part=part, current_location=queue.location, label="Contract unit", vendor=vendor
    )
    relation_create(subject=user, obj=customer, relation="owner")
    cycle_take_next(
        batch, actor=user, intake=Intake(raw_serial_number=f"{part.serial_prefix}FUZZ-1", part=part)
    )
    context = context_start(actor=None, version=workflow.versions.get(), unit=unit)
    note = note_create(actor=None, subject=unit, fields=NoteFields(label="Fuzz", text="A note"))
    work_order_note = note_create(
        actor=None, subject=work_order, fields=NoteFields(label="Fuzz", text="A work order note")
    )
    file = _pdf(unit, "Contract instructions.pdf")
    webhook = webhook_create(
        actor=None,
        fields=WebhookFields(
            url="https://contract.example/hook", events=["CYC.status-changed"], customer=customer
        ),
    )
    # A second entity of each type, so a relation's other end is never the entity itself.
    other_work_order = make_work_order(project=project, cycles=[(10, workflow)], label="Other")
    others = {
        "CUS": CustomerFactory(label="Other Co"),
        "PGM": ProgramFactory(customer=customer, label="Other program"),
        "PRJ": ProjectFactory(program=program, label="Other project"),
        "CON": ContactFactory(),
        "USER": UserFactory(username="contract-other"),
        "GAD": Gadget.objects.create(label="Other gadget"),
        "ROLE": Role.objects.create(label="Other role", grants=READ_CUSTOMERS),
        "QUE": QueueFactory(label="Other queue"),
        "MFR": ManufacturerFactory(label="Other manufacturer"),
        "VEN": VendorFactory(label="Other vendor"),
        "RES": ResourceFactory(location=queue.location, label="Other station"),
        "SRES": SubResourceFactory(resource=resource, label="Other port"),
        "PART": PartFactory(customer=customer, label="Other part"),
        "UNIT": UnitFactory(part=part, current_location=queue.location, label="Other unit"),
        "WKF": make_workflow(label="Other flow"),
        "WOR": other_work_order,
        "CTX": context_start(actor=None, version=workflow.versions.get(), unit=unit),
        "NOTE": note_create(
            actor=None, subject=unit, fields=NoteFields(label="Other", text="Another note")
        ),
        "FILE": _pdf(unit, "Other instructions.pdf"),
        "BAT": batches_create(
            actor=None, work_order=other_work_order, queue=queue, number_cycles=1
        )[0],
    }
    others["LOC"] = others["QUE"].location
    made = {
        "customer": customer,
        "program": program,
        "project": project,
        "contact": contact,
        "location": queue.location,
        "queue": queue,
        "workflow": workflow,
        "work_order": work_order,
        "batch": batch,
        "cycle": batch.cycles.first(),
        "user": user,
        # Whom ``Requestor-ID`` names: never a path's user (a DELETE would deactivate it).
        "requestor": UserFactory(username="contract-requestor"),
        "gadget": Gadget.objects.create(label="Contract gadget"),
        "role": Role.objects.create(label="Contract role", grants=READ_CUSTOMERS),
        "manufacturer": part.manufacturer,
        "vendor": vendor,
        "resource": resource,
        "sub_resource": sub_resource,
        "part": part,
        "unit": unit,
        "context": context,
        "note": note,
        "work_order_note": work_order_note,
        "file": file,
        "webhook": webhook,
        "delivery": webhook_send_test(webhook, actor=None),
        "action": action_create(
            actor=None,
            fields=ActionFields(
                label="Contract action",
                event="CYC.status-changed",
                effect=[_notify(user)],
                target=customer,
            ),
        ),
        "notification": Notification.objects.create(recipient=user, label="Contract", key="c"),
        "report": Report.objects.create(
            created_by=user, base_entity="BAT", definition={"core_fields": {"fields": ["batch_id"]}}
        ),
    }
    # Its receiver answered once (a log to read).
    Attempt.objects.create(
        delivery=made["delivery"], webhook=webhook, number=1, response_code=200, duration_ms=5
    )
    return {
        "objects": made,
        "ids": {name: obj.public_id for name, obj in made.items()},
        "by_code": {
            kind.code: made[name].public_id
            for name in made
            if (kind := entities.for_model(type(made[name]))) is not None
        },
        "others": {code: obj.public_id for code, obj in others.items()},
        "statuses": project.effective_statuses,
    }


def _notify(user) -> dict:
    return {
        "effect_type": "notify",
        "options": {
            "contacts": [user.public_id],
            "label": "Contract",
            "message": "",
            "severity": "normal",
        },
    }


# An action's event, by the kind it is set on: one whose events reach that kind.
ACTION_EVENTS = {"CON": "CON.changed", "RES": "RES.changed", "SRES": "SRES.changed"}
ACTION_EVENTS["USER"] = "USER.changed"


def _repair_action(case, body, shop) -> None:
    """An action that can fire: an event about its entity, effects it can do."""
    code = next(
        (
            kind.code
            for kind in entities
            if case.path.startswith(f"/api/{kind.collection}/") and case.path.endswith("/actions")
        ),
        None,
    )
    if isinstance(body.get("entity"), dict) or case.path.startswith("/api/actions"):
        body["entity"] = {"entity_type": "CUS", "entity_id": shop["ids"]["customer"]}
        code = "CUS"
    if "event" in body or case.method.upper() != "PATCH":
        body["event"] = ACTION_EVENTS.get(code, "CYC.status-changed")
    if "effect" in body or case.method.upper() != "PATCH":
        effects = []
        for effect in body.get("effect") if isinstance(body.get("effect"), list) else []:
            options = effect.get("options") if isinstance(effect, dict) else None
            event = body.get("event", "CYC.status-changed")  # a PATCH keeps the shop action's
            if effect.get("effect_type") == "update" and event.startswith("CYC"):
                options.update(entity="WOR", property="current_status")
                effects.append(effect)
            else:
                effects.append(_notify(shop["objects"]["user"]))
        body["effect"] = effects or [_notify(shop["objects"]["user"])]


def _repair_report(body) -> None:
    """A report of fields its base entity has, filtered and aliased by them."""
    base = BASES.get(body.get("base_entity"))
    if base is None:
        return
    key = next(iter(base.fields))
    core = body.get("core_fields") if isinstance(body.get("core_fields"), dict) else {}
    core["fields"] = [key]
    for item in core.get("query") or []:
        item["field"] = key
        if item.get("operand") is None:
            item["operand"] = "x"
        if item.get("operators") in ("greater_than", "greater_than_equals", "less_than"):
            item["operators"] = "equals"
        if item.get("operators") == "less_than_equals":
            item["operators"] = "equals"
    for alias in core.get("aliases") or []:
        alias["key"] = key
    body["core_fields"] = core
    body.pop("custom_fields", None)


def _pdf(unit, name: str):
    """An uploaded PDF attached to ``unit``."""
    data = b"%PDF-1.4\n" + name.encode()
    file = attachment_upload(
        actor=None,
        fields=AttachmentFields(name=name, type="application/pdf", size=len(data)),
        chunks=[data],
    )
    relation_create(subject=unit, obj=file, relation="file")
    return file


def repair_path(case, shop) -> None:
    for name in case.path_parameters or {}:
        if name in ID_NAMES:
            case.path_parameters[name] = shop["ids"][ID_NAMES[name]]


def repair_body(case, shop) -> None:
    body = case.body
    if not isinstance(body, dict):
        return
    _references(body, shop)
    if "file" in body and "multipart" in (case.media_type or ""):
        # An upload's bytes are a PDF of the size it says (what a schema cannot express).
        body["file"] = b"%PDF-1.4\n" + bytes(
            body["file"] if isinstance(body["file"], bytes) else b""
        )
        body["type"], body["size"] = "application/pdf", len(body["file"])
    if isinstance(body.get("thread_id"), str) and "work_order_id" in (case.path_parameters or {}):
        body["thread_id"] = shop["ids"]["work_order_note"]  # a thread stays with its entity
    entity = body.get("entity")
    attaching = body.get("relation") == "file" and "/attachments/" not in case.path
    if isinstance(entity, dict) and attaching:
        # "Attachment For" relates a file to something: the other end is a file.
        entity["entity_type"], entity["entity_id"] = "FILE", shop["others"]["FILE"]
    if (
        isinstance(entity, dict)
        and entity.get("entity_id") in (case.path_parameters or {}).values()
    ):
        # An entity is never related to itself: the other one of its type.
        entity["entity_id"] = shop["others"].get(entity.get("entity_type"), entity["entity_id"])
    fields = body.get("input_filter") if isinstance(body.get("input_filter"), list) else []
    for number, field in enumerate(fields):
        if isinstance(field, dict):
            field.pop("value", None)  # a value must pass the field's own validators
            field["key"] = f"field_{number}"  # keys are unique in a list
    if "current_status" in body and body["current_status"] is not None:
        body["current_status"] = dict(shop["statuses"][0])
    statuses = body.get("allowed_statuses")
    if isinstance(statuses, list):
        for number, status in enumerate(statuses):
            if isinstance(status, dict) and isinstance(status.get("status"), str):
                status["status"] = f"{status['status'][:90]} {number}"  # labels unique in any case
    if "allowed_statuses" in body and case.path.startswith(("/api/programs", "/api/projects")):
        body["allowed_statuses"] = None  # inherit: a narrower list is a rule of the parent's
    merge_patch = case.method.upper() == "PATCH" and "merge-patch" in (case.media_type or "")
    if case.path.endswith("/actions") or case.path.startswith("/api/actions"):
        _repair_action(case, body, shop)
    if case.path == "/api/reports":
        _repair_report(body)
    for first, last in (
        ("begin_date", "due_date"),
        ("start_date", "end_date"),
        ("date_start", "date_end"),
    ):
        if merge_patch and (body.get(first) or body.get(last)):
            # A merge patch is checked with the stored values: both dates, in order.
            body[first], body[last] = "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z"
        elif body.get(first) and body.get(last):
            body[first], body[last] = "2026-01-01T00:00:00Z", "2026-12-31T00:00:00Z"
    if case.path.startswith("/api/work-flows") and ("steps" in body or "starts_at" in body):
        body["steps"], body["starts_at"] = SIMPLE_STEPS, "image-device"
    for line in body.get("cycles") if isinstance(body.get("cycles"), list) else []:
        inline = line.get("work_flow") if isinstance(line, dict) else None
        if isinstance(inline, dict) and "steps" in inline:
            inline["steps"], inline["starts_at"] = SIMPLE_STEPS, "image-device"
        if isinstance(inline, dict) and "entity_id" in inline:
            inline["entity_id"] = shop["ids"]["workflow"]
    if case.path.startswith("/api/batches") or "number_cycles" in body:
        body["number_cycles"] = min(body.get("number_cycles", 1), 5)
        body["total"] = min(body.get("total", 1), 3) if "total" in body else body.get("total")
        if body.get("total") is None:
            body.pop("total", None)
    if isinstance(body.get("order"), int):
        body["order"] = min(body["order"], 1000)
    if case.path == "/api/me/tokens" and body.get("expires") is not None:
        # A token's expiry is in the future, within NIAGARA_TOKEN_MAX_DAYS.
        body["expires"] = (timezone.now() + timedelta(days=30)).isoformat()


def _references(value, shop) -> None:
    if isinstance(value, dict):
        if "entity_type" in value and "entity_id" in value:
            value["entity_id"] = shop["by_code"].get(value["entity_type"], value["entity_id"])
        for key in list(value):
            if key in ID_NAMES and isinstance(value[key], str):
                value[key] = shop["ids"][ID_NAMES[key]]
            else:
                _references(value[key], shop)
    elif isinstance(value, list):
        for item in value:
            _references(item, shop)

"""Actions: stored with their rules checked, run by the worker on each committed event."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from events.catalogue import is_known
from events.services import customer_of
from history.services import caused_by
from relations.registry import entities
from relations.services import delete_entity, save_entity

from .effects import Regarding, apply_update, check_update, render
from .models import Action, Sequence
from .notifications import notify, recipients
from .scopes import facts_of, scopes_of

logger = logging.getLogger(__name__)

MAX_CRITERIA = MAX_EFFECTS = MAX_CONTACTS = 10
OPERATORS = ("equals", "not_equals", "is_null")


@dataclass
class ActionFields:
    label: str
    event: str
    effect: list = field(default_factory=list)
    criteria: list = field(default_factory=list)
    sequence: str = Sequence.BEFORE
    order: str = ""
    active: bool = True
    target: object = None  # the entity it is configured for; none: global


def event_code(event_type: str) -> str:
    return event_type.split(".", 1)[0]


def check_action(action: Action) -> None:
    """Refuse an action that could never fire or never do what it says."""
    errors = {}
    if not is_known(action.event):
        errors["event"] = f'"{action.event}" is not an event Niagara records'
    code = event_code(action.event)
    if action.target_type and not errors and action.target_type not in scopes_of(code):
        errors["entity"] = (
            f"a {code} event is never about a {action.target_type} nor under one: "
            "the action could not fire"
        )
    if not isinstance(action.criteria, list) or len(action.criteria) > MAX_CRITERIA:
        errors["criteria"] = f"at most {MAX_CRITERIA} criteria"
    effects = action.effect if isinstance(action.effect, list) else []
    if not 1 <= len(effects) <= MAX_EFFECTS:
        errors["effect"] = f"from 1 to {MAX_EFFECTS} effects"
    elif "event" not in errors:
        problems = []
        for effect in effects:
            try:
                _check_effect(code, effect)
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            errors["effect"] = problems
    if errors:
        raise ValidationError(errors)


def _check_effect(code: str, effect: dict) -> None:
    options = effect.get("options") or {}
    if effect.get("effect_type") == "update":
        check_update(code, options)
    elif effect.get("effect_type") == "notify":
        ids = options.get("contacts") or []
        users, addresses = recipients(ids)
        if ids and not users and not addresses:
            raise ValidationError("none of the contacts to notify exists")
    else:
        raise ValidationError('an effect is "notify" or "update"')


def fill_action(action: Action, fields: ActionFields) -> Action:
    """Set the fields on ``action`` (its customer read off its entity), unsaved."""
    target = fields.target
    action.label = fields.label
    action.event = fields.event
    action.effect = fields.effect
    action.criteria = fields.criteria
    action.sequence = fields.sequence
    action.order = fields.order
    action.active = fields.active
    action.target_type = entities.of(target).code if target is not None else ""
    action.target_id = target.public_id if target is not None else ""
    action.customer_id = customer_of(target) if target is not None else None
    return action


@transaction.atomic
def action_save(action: Action, *, actor) -> Action:
    check_action(action)
    action.full_clean(exclude=["effect", "criteria"])
    return save_entity(action, actor=actor)


def action_create(*, actor, fields: ActionFields) -> Action:
    action = fill_action(Action(created_by=actor), fields)
    return action_save(action, actor=actor)


def action_update(action: Action, /, *, actor, fields: ActionFields) -> Action:
    return action_save(fill_action(action, fields), actor=actor)


def action_delete(action: Action, /, *, actor) -> None:
    delete_entity(action, actor=actor)


# -- running them ------------------------------------------------------------------------


def criteria_hold(criteria: list[dict], facts: dict) -> bool:
    """Whether every criterion holds of ``facts`` (the event's data over the entity's
    fields). A status matches by its label or its category, in any case."""
    return all(_holds(each, facts) for each in criteria)


def _holds(criterion: dict, facts: dict) -> bool:
    actual = facts.get(criterion.get("property"))
    operator, operand = criterion.get("operator"), criterion.get("value")
    if operator == "is_null":
        return actual in (None, "", [], {})
    same = _same(actual, operand)
    return same if operator == "equals" else not same


def _same(actual, operand) -> bool:
    if isinstance(operand, dict):
        return isinstance(actual, dict) and all(actual.get(k) == v for k, v in operand.items())
    if operand is None:
        return actual is None
    wanted = str(operand).strip().casefold()
    if isinstance(actual, dict):
        return wanted in {str(v).strip().casefold() for v in actual.values() if v is not None}
    if isinstance(actual, bool):
        return wanted == ("true" if actual else "false")
    return actual is not None and str(actual).strip().casefold() == wanted


def run_actions(events) -> None:
    """The events' actions, in order (``before`` ones first, then by ``order``): each whose
    entity the event is about and whose criteria hold does its effects. A change an action
    made triggers none; an effect that fails is logged on its action and the rest go on."""
    candidates = [event for event in events if not (event.data or {}).get("caused_by")]
    if not candidates:
        return
    first = Case(
        When(sequence=Sequence.BEFORE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    actions = Action.objects.filter(
        active=True, event__in={event.type for event in candidates}
    ).order_by(first, "order", "id")
    by_type = defaultdict(list)
    for action in actions.select_related("created_by"):
        by_type[action.event].append(action)
    if not by_type:
        return
    for event in candidates:
        matching = by_type.get(event.type)
        if not matching:
            continue
        code = event_code(event.type)
        entity, under = facts_of(code, event.entity_id)
        facts = {**entity, **(event.data or {})}
        for action in matching:
            if action.target_type and under.get(action.target_type) != action.target_id:
                continue
            if action.customer_id is not None and action.customer_id != event.customer_id:
                continue
            if criteria_hold(action.criteria or [], facts):
                _fire(action, event, facts, under)


def _fire(action: Action, event, facts: dict, under: dict[str, str]) -> None:
    errors = []
    regarding = Regarding(
        event_code(event.type), event.entity_id, str(facts.get("label") or event.entity_id)
    )
    for number, effect in enumerate(action.effect):
        options = effect.get("options") or {}
        try:
            # A savepoint each: an effect that fails undoes itself alone.
            with transaction.atomic():
                if effect.get("effect_type") == "notify":
                    notify(
                        options.get("contacts") or [],
                        label=render(options.get("label", ""), facts),
                        message=render(options.get("message", ""), facts),
                        severity=options.get("severity", "normal"),
                        key=f"{event.public_id}:{action.public_id}:{number}",
                        sender=action.created_by,
                        source_id=event.public_id,
                        regarding=regarding,
                    )
                elif effect.get("effect_type") == "update":
                    target = under.get(options.get("entity"))
                    if target is None:
                        raise ValidationError(f"the event is not under a {options.get('entity')}")
                    reason = f"action {action.label[:60]} ({action.public_id})"
                    with caused_by(reason, action_id=action.public_id):
                        apply_update(options["entity"], target, options, actor=action.created_by)
        except Exception as exc:
            message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
            logger.warning("action %s: effect %d failed: %s", action.public_id, number, message)
            errors.append(f"effect {number + 1}: {message}")
    Action.objects.filter(pk=action.pk).update(
        last_fired=timezone.now(), last_error="; ".join(errors)[:500]
    )

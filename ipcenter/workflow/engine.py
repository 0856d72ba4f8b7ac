"""Explicit state machines.

A model declares its transitions once::

    class PreExamCase(models.Model):
        workflow = Workflow(
            Transition("submit", _("提交"), source=[DRAFT], target=SUBMITTED,
                       allowed=is_case_owner),
            ...
        )

and a service runs one with ``run_transition(case, "submit", user, comment)``:
inside a transaction the row is re-read with ``SELECT ... FOR UPDATE``, the
current state and the actor's permission are checked, the state is written and
a ``TimelineEvent`` records who/when/from/to/comment.  Anything else is refused
with ``TransitionNotAllowed`` carrying a message for the user.  Two people racing
for the same transition therefore get exactly one winner.
"""
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .actions import action_prefix
from .context import current_request_id
from .models import Audience, TimelineEvent


class TransitionNotAllowed(ValidationError):
    """A transition that the state or the actor's rights do not permit."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: Iterable[str]
    target: str
    # ``allowed(user, obj) -> bool``; typically a rules predicate.
    allowed: Callable = None
    # Shown as a button in the UI (False for system-only transitions).
    manual: bool = True
    comment_required: bool = False
    style: str = "primary"
    #: who may read the timeline event; None = the workflow's default audience
    audience: str = None


@dataclass
class Workflow:
    transitions: list = field(default_factory=list)
    state_field: str = "state"

    def __init__(self, *transitions, state_field="state", audience=Audience.INTERNAL, namespace=None):
        """``audience``: who reads the events of these transitions unless a transition says
        otherwise — internal by default, so internal work can only be made public on purpose.
        ``namespace``: the ``app.model`` prefix of the action codes when it is not the model's
        label (a renamed model keeps the codes already stored)."""
        self.transitions = [t if t.audience else replace(t, audience=audience) for t in transitions]
        self.state_field = state_field
        self.audience = audience
        self.namespace = namespace
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError("transition names must be unique")

    def get(self, name):
        for t in self.transitions:
            if t.name == name:
                return t
        raise KeyError(name)

    def state_of(self, obj):
        return getattr(obj, self.state_field)

    def available(self, obj, user, manual_only=True):
        """Transitions ``user`` may run on ``obj`` in its current state."""
        state = self.state_of(obj)
        result = []
        for t in self.transitions:
            if manual_only and not t.manual:
                continue
            if state in t.source and (t.allowed is None or t.allowed(user, obj)):
                result.append(t)
        return result


def _state_label(obj, state_field, value):
    field_obj = obj._meta.get_field(state_field)
    return str(dict(field_obj.flatchoices).get(value, value))


def run_transition(obj, name, user, comment="", *, data=None, on_change=None, check_permission=True):
    """Run transition ``name`` on ``obj`` as ``user`` and return the locked, updated row.

    ``on_change(locked_obj)`` runs inside the same transaction after the state is
    set and before it is saved, for side effects that must succeed or fail with
    the transition (deadlines, derived fields).
    """
    model = type(obj)
    workflow = model.workflow
    try:
        transition = workflow.get(name)
    except KeyError:
        raise TransitionNotAllowed(_("未知操作：%(name)s") % {"name": name}, code="unknown")
    if transition.comment_required and not (comment or "").strip():
        raise TransitionNotAllowed(_("“%(label)s”需要填写说明或理由。") % {"label": transition.label},
                                   code="comment_required")
    with transaction.atomic():
        locked = model._base_manager.select_for_update().get(pk=obj.pk)
        current = workflow.state_of(locked)
        if current not in transition.source:
            raise TransitionNotAllowed(
                _("当前状态为“%(state)s”，不能执行“%(label)s”。")
                % {"state": _state_label(locked, workflow.state_field, current), "label": transition.label},
                code="state",
            )
        if check_permission and transition.allowed is not None and not transition.allowed(user, locked):
            raise TransitionNotAllowed(_("您没有权限执行“%(label)s”。") % {"label": transition.label},
                                       code="permission")
        setattr(locked, workflow.state_field, transition.target)
        if on_change is not None:
            on_change(locked)
        locked.save()
        record_event(
            locked, f"{action_prefix(model)}.{transition.name}", user,
            from_state=current, to_state=transition.target, comment=comment, data=data,
        )
    # Keep the caller's instance in step with the database.
    for f in model._meta.concrete_fields:
        setattr(obj, f.attname, getattr(locked, f.attname))
    return locked


def timeline_of(obj, viewer=None):
    """The timeline events of ``obj``; with ``viewer``, only those the viewer may
    read (internal events never reach an external user).  The one way an app reads a timeline."""
    from .models import TimelineEvent

    events = TimelineEvent.objects.for_object(obj)
    return events.for_viewer(viewer) if viewer is not None else events


def record_event(obj, action, user=None, *, params=None, audience=None, from_state="", to_state="",
                 comment="", data=None):
    """Append an entry to ``obj``'s timeline.

    ``action`` is a registered code (``ipcenter.workflow.actions``); its label is rendered
    with ``params`` when shown, in the viewer's language, and its registered audience decides
    who reads it unless ``audience`` narrows or widens it for this event."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import translation

    from .actions import get_action

    registered = get_action(action)
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    data = dict(data or {})
    if params:
        data["params"] = {k: str(v) for k, v in params.items()}
    with translation.override("zh-hans"):
        label = str(registered.label)
        if params:
            label = label % data["params"]
    return TimelineEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        label=label[:200],
        actor=actor,
        actor_name=str(actor)[:150] if actor is not None else "",
        audience=audience or registered.audience,
        request_id=current_request_id(),
        from_state=from_state or "",
        to_state=to_state or "",
        comment=comment or "",
        data=data,
    )


def field_changes(before, after, fields):
    """``{field: [old, new]}`` for the audited ``fields`` that differ (display values)."""
    changes = {}
    for name in fields:
        old, new = getattr(before, name, None), getattr(after, name, None)
        if hasattr(old, "all") or hasattr(new, "all"):
            continue
        if old != new:
            changes[name] = [_display(old), _display(new)]
    return changes


def _display(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def edit_action(model):
    """The ``app.model.edit`` code of ``model`` (registered on first use with the audience of
    the model's workflow: who may read its transitions may read its edits)."""
    from django.utils.translation import gettext_lazy

    from .actions import ACTIONS, register_action

    code = f"{action_prefix(model)}.edit"
    if code not in ACTIONS:
        workflow = getattr(model, "workflow", None)
        register_action(code, gettext_lazy("修改了 %(fields)s"), workflow.audience if workflow else Audience.INTERNAL)
    return code


def save_with_audit(obj, user, fields, action=None, comment=""):
    """Save an edited case-like record and log the field-level changes, if any."""
    model = type(obj)
    with transaction.atomic():
        before = model._base_manager.select_for_update().get(pk=obj.pk)
        changes = field_changes(before, obj, fields)
        obj.save()
        if changes:
            labels = {n: str(model._meta.get_field(n).verbose_name) for n in changes}
            record_event(
                obj, action or edit_action(model), user,
                params={"fields": "、".join(labels.values())},
                comment=comment, data={"changes": {labels[k]: v for k, v in changes.items()}},
            )
    return changes

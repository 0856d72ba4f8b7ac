"""The registry of timeline action codes: ``app.model.action`` → label and audience.

An app registers each code it writes once (``register_action``; transitions of a declared
workflow register themselves), so a label is rendered in the viewer's language when it is
shown and the audience of an event is decided where the code is defined, not at each call::

    register_action("prescreen.opinion.submitted", _("提交预审意见（第 %(round)s 轮）"), Audience.INTERNAL)

``record_event`` refuses a code nobody registered.
"""
from dataclasses import dataclass

from .models import Audience


@dataclass(frozen=True)
class Action:
    code: str
    label: object  # lazy translation, may hold %(name)s parameters
    audience: str = Audience.INTERNAL


ACTIONS = {}


def register_action(code, label, audience=Audience.INTERNAL):
    parts = code.split(".")
    if len(parts) < 3 or not all(parts):
        raise ValueError(f"action code {code!r} must read app.model.action")
    existing = ACTIONS.get(code)
    if existing is not None and (existing.audience != audience):
        raise ValueError(f"action {code!r} registered twice with different audiences")
    ACTIONS[code] = Action(code, label, audience)
    return ACTIONS[code]


def register_actions(*triples):
    for triple in triples:
        register_action(*triple)


def get_action(code):
    try:
        return ACTIONS[code]
    except KeyError:
        raise LookupError(f"timeline action {code!r} is not registered (ipcenter.workflow.actions)") from None


def action_prefix(model):
    """``app.model`` of ``model``'s action codes: its workflow's ``namespace`` or its label."""
    namespace = getattr(getattr(model, "workflow", None), "namespace", None)
    return namespace or f"{model._meta.app_label}.{model._meta.model_name}"


def register_workflow(model):
    """Register the action of every transition of ``model.workflow`` (``Transition.audience``)."""
    workflow = model.workflow
    prefix = action_prefix(model)
    for t in workflow.transitions:
        register_action(f"{prefix}.{t.name}", t.label, t.audience)


def render_label(event):
    action = ACTIONS.get(event.action)
    if action is None:
        return event.label or event.action
    params = (event.data or {}).get("params") or {}
    text = str(action.label)
    if "%(" not in text:
        return text
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return event.label or text  # an event written before its parameters were stored

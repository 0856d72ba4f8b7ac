"""Extension points of the pre-exam workflow (used by prescreen.quality).

- ``register_release_blocker(func)``: ``func(opinion) -> str | None`` gives a Chinese reason
  why an opinion may not be issued yet (e.g. an open peer check); ``None`` = no objection.
- Signals, sent by ``prescreen.services``:
  ``opinion_submitted(opinion, actor)`` — the author submitted an opinion for release, sent
  inside the transaction *before* release is attempted, so a receiver can create a check
  that then blocks release; ``opinion_issued(opinion, actor)``; ``case_concluded(case, actor)``;
  ``cnipa_outcome_recorded(case, actor)``.
"""
from django.dispatch import Signal

_RELEASE_BLOCKERS = []

opinion_submitted = Signal()
opinion_issued = Signal()
case_concluded = Signal()
cnipa_outcome_recorded = Signal()


def register_release_blocker(func):
    if func not in _RELEASE_BLOCKERS:
        _RELEASE_BLOCKERS.append(func)
    return func


def release_blockers(opinion):
    """Reasons (Chinese) why ``opinion`` cannot be issued now; empty when it can."""
    return [reason for reason in (func(opinion) for func in _RELEASE_BLOCKERS) if reason]


# --- page extension: panels on the case page ------------------------------------------------
# ``register_case_panel(func)`` where ``func(request, case) -> dict | None``; a dict needs a
# ``"template"`` key and is included (with the dict as context) in the case detail page, e.g.
# the quality app's peer-check status and check results.
_CASE_PANELS = []


def register_case_panel(func):
    if func not in _CASE_PANELS:
        _CASE_PANELS.append(func)
    return func


def case_panels(request, case):
    return [panel for panel in (func(request, case) for func in _CASE_PANELS) if panel]

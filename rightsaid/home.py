"""Rights-assistance panel on the home page of station staff, mediators and company users."""
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .models import AssistanceCase, Consultation, is_case_worker

OPEN_STATES = [AssistanceCase.State.INTAKE, AssistanceCase.State.UNDER_REVIEW, AssistanceCase.State.ACCEPTED,
               AssistanceCase.State.HANDLING, AssistanceCase.State.REFERRED]


def home_panel(request):
    user = request.user
    cases = AssistanceCase.objects.visible_to(user)
    labels = dict(AssistanceCase.State.choices)
    counts = cases.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        closed=Count("pk", filter=Q(state=AssistanceCase.State.CLOSED)),
        **{state: Count("pk", filter=Q(state=state)) for state in OPEN_STATES},
    )
    return {
        "template": "rightsaid/_home_panel.html",
        "title": _("维权援助"),
        "worker": is_case_worker(user),
        "open": counts["open"],
        "closed": counts["closed"],
        "states": [(state, labels[state], counts[state]) for state in OPEN_STATES],
        "consultations": Consultation.objects.visible_to(user).count() if is_case_worker(user) else None,
    }

"""People's-mediation panel on the home page of mediators and station staff: open disputes by
state, overdue terms and agreements still awaiting the judicial-confirmation result."""
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ipcenter.deadlines.services import overdue_ids

from .models import Dispute, is_case_worker
from .services import TERM_KIND


def home_panel(request):
    user = request.user
    if not is_case_worker(user):
        return None
    disputes = Dispute.objects.visible_to(user)
    labels = dict(Dispute.State.choices)
    states = Dispute.OPEN_STATES + [Dispute.State.AGREEMENT]
    counts = disputes.aggregate(**{state: Count("pk", filter=Q(state=state)) for state in states})
    overdue = overdue_ids(Dispute, TERM_KIND)
    return {
        "template": "mediation/_home_panel.html",
        "title": _("人民调解"),
        "open": sum(counts[s] for s in Dispute.OPEN_STATES),
        "overdue": disputes.filter(pk__in=overdue).count(),
        "awaiting_confirmation": counts[Dispute.State.AGREEMENT],
        "states": [(state, labels[state], counts[state]) for state in Dispute.OPEN_STATES],
    }

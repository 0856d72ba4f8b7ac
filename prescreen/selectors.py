"""Selectors pre-exam offers other apps through ``ipcenter.plugins.select`` (no imports between apps)."""
from django.db.models import Count

from ipcenter.plugins import provides


@provides("prescreen.cases_of_organizations")
def cases_of_organizations(organization_ids):
    """Submitted pre-exam cases of the given organisations, counted by organisation and state
    (drafts are the applicant's own and are left out): a list of plain dicts
    ``{"organization_id", "state", "state_label", "count"}`` aggregated in the database."""
    from .models import PreExamCase

    labels = dict(PreExamCase.State.choices)
    rows = (PreExamCase.objects.filter(organization_id__in=list(organization_ids))
            .exclude(state=PreExamCase.State.DRAFT)
            .values("organization_id", "state").annotate(count=Count("pk")).order_by("organization_id", "state"))
    return [{"organization_id": r["organization_id"], "state": r["state"], "state_label": str(labels.get(r["state"], r["state"])),
             "count": r["count"]} for r in rows]


@provides("prescreen.outcomes_of_organizations")
def outcomes_of_organizations(organization_ids):
    """CNIPA outcomes of the given organisations' pre-exam cases (granted / rejected / deemed
    withdrawn), counted by organisation and outcome in the database: plain dicts
    ``{"organization_id", "outcome", "outcome_label", "count"}``; cases without an outcome are left out."""
    from .models import PreExamCase

    labels = dict(PreExamCase.CnipaOutcome.choices)
    rows = (PreExamCase.objects.filter(organization_id__in=list(organization_ids)).exclude(cnipa_outcome="")
            .values("organization_id", "cnipa_outcome").annotate(count=Count("pk"))
            .order_by("organization_id", "cnipa_outcome"))
    return [{"organization_id": r["organization_id"], "outcome": r["cnipa_outcome"],
             "outcome_label": str(labels.get(r["cnipa_outcome"], r["cnipa_outcome"])), "count": r["count"]}
            for r in rows]

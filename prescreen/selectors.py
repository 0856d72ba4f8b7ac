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

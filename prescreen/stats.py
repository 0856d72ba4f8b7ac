"""All-time pre-exam totals (one aggregate query per figure group); the dashboard uses
``prescreen.figures`` (the statistics figure provider)."""
import datetime

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import PreExamCase, Registration

S = PreExamCase.State


def figures(today=None):
    today = today or timezone.localdate()
    cases = PreExamCase.objects.all()
    totals = cases.aggregate(
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        qualified=Count("pk", filter=Q(state=S.QUALIFIED)),
        unqualified=Count("pk", filter=Q(state=S.UNQUALIFIED)),
        decided=Count("pk", filter=~Q(cnipa_outcome="")),
        granted=Count("pk", filter=Q(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT)),
        open=Count("pk", filter=Q(state__in=[S.SUBMITTED, S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION])),
    )
    turnaround = cases.filter(concluded_at__isnull=False, accepted_at__isnull=False).aggregate(
        avg=Avg(ExpressionWrapper(F("concluded_at") - F("accepted_at"), output_field=DurationField())))["avg"]
    concluded = totals["qualified"] + totals["unqualified"]
    start = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    monthly = {r["m"].date() if hasattr(r["m"], "date") else r["m"]: r["n"] for r in
               cases.filter(accepted_at__date__gte=start).annotate(m=TruncMonth("accepted_at"))
               .values("m").annotate(n=Count("pk"))}
    months, m = [], start
    while m <= today:
        months.append(m)
        m = (m + datetime.timedelta(days=32)).replace(day=1)
    return {
        **totals,
        "registered": Registration.objects.filter(state=Registration.State.REGISTERED).count(),
        "qualified_rate": round(totals["qualified"] * 100 / concluded, 1) if concluded else None,
        "grant_rate": round(totals["granted"] * 100 / totals["decided"], 1) if totals["decided"] else None,
        "avg_days": round(turnaround.total_seconds() / 86400, 1) if turnaround else None,
        "months": [(f"{m:%Y-%m}", monthly.get(m, 0)) for m in months],
    }


"""Quality statistics: error rate and average score by examiner, level, field, error category
and month; consistency of pre-exam conclusions with CNIPA outcomes.  An examiner's figures
cover their own work; QC reviewers and managers see everyone's."""
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from ipcenter.accounts import roles

from .models import Check, CheckError, FeedbackItem, Level


def sees_all(user):
    return user.is_centre_wide or user.has_role(roles.QC_REVIEWER)


def completed_checks(user, date_from=None, date_to=None):
    qs = Check.objects.filter(state=Check.State.DONE, overturned=False)
    if not sees_all(user):
        qs = qs.filter(examiner=user)
    if date_from:
        qs = qs.filter(completed_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(completed_at__date__lte=date_to)
    return qs.annotate(has_error=Exists(CheckError.objects.filter(check_record=OuterRef("pk"))))


def _rows(qs, key, label=None):
    rows = []
    for r in (qs.values(key).annotate(n=Count("pk"), with_errors=Count("pk", filter=Q(has_error=True)),
                                      avg_score=Avg("score")).order_by(key)):
        n = r["n"]
        rows.append({
            "key": r[key], "label": label(r[key]) if label else r[key], "checks": n,
            "with_errors": r["with_errors"], "error_rate": round(r["with_errors"] * 100 / n, 1) if n else 0.0,
            "avg_score": round(r["avg_score"], 1) if r["avg_score"] is not None else None,
        })
    return rows


def quality_stats(user, date_from=None, date_to=None):
    from ipcenter.accounts.models import User

    checks = completed_checks(user, date_from, date_to)
    names = {u.pk: str(u) for u in User.objects.filter(
        pk__in=checks.values("examiner"))}
    levels = dict(Level.choices)
    total = checks.aggregate(n=Count("pk"), with_errors=Count("pk", filter=Q(has_error=True)),
                             avg_score=Avg("score"))
    errors = CheckError.objects.filter(check_record__in=checks.values("pk"))
    feedback = FeedbackItem.objects.all() if sees_all(user) else FeedbackItem.objects.filter(examiner=user)
    if date_from:
        feedback = feedback.filter(created_at__date__gte=date_from)
    if date_to:
        feedback = feedback.filter(created_at__date__lte=date_to)
    fb = feedback.aggregate(n=Count("pk"), consistent=Count("pk", filter=Q(consistent=True)))
    return {
        "total": {
            "checks": total["n"], "with_errors": total["with_errors"],
            "error_rate": round(total["with_errors"] * 100 / total["n"], 1) if total["n"] else 0.0,
            "avg_score": round(total["avg_score"], 1) if total["avg_score"] is not None else None,
        },
        "by_examiner": _rows(checks, "examiner", lambda pk: names.get(pk, "")),
        "by_level": _rows(checks, "level", lambda code: str(levels.get(code, code))),
        "by_field": _rows(checks, "case__technical_field__name"),
        "by_month": [dict(r, label=r["key"].strftime("%Y-%m")) for r in
                     _rows(checks.annotate(month=TruncMonth("completed_at")), "month")],
        "by_category": list(errors.values("error_type__category").annotate(n=Count("pk"))
                            .order_by("-n", "error_type__category")),
        "by_severity": list(errors.values("error_type__severity").annotate(n=Count("pk")).order_by("-n")),
        "consistency": {"total": fb["n"], "consistent": fb["consistent"],
                        "rate": round(fb["consistent"] * 100 / fb["n"], 1) if fb["n"] else None},
        "mismatches": list(feedback.filter(consistent=False).select_related("case", "examiner")[:50]),
        "sees_all": sees_all(user),
    }

"""Quality statistics: error rate and average score by examiner, level, field, error category
and month; consistency of pre-exam conclusions with CNIPA outcomes.  An examiner's figures
cover their own work; QC reviewers and managers see everyone's.  Checks overturned on appeal
do not count."""
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from ipcenter.accounts import roles
from ipcenter.accounts.models import field_name

from .models import QualityCheck, CheckError, ErrorType, FeedbackItem, Level


def sees_all(user):
    return user.is_centre_wide or user.has_role(roles.QC_REVIEWER)


def _rate(part, whole):
    return round(part * 100 / whole, 1) if whole else None


def _avg(value):
    return round(value, 1) if value is not None else None


def completed_checks(user, date_from=None, date_to=None):
    qs = QualityCheck.objects.filter(state=QualityCheck.State.DONE, overturned=False)
    if not sees_all(user):
        qs = qs.filter(examiner=user)
    if date_from:
        qs = qs.filter(completed_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(completed_at__date__lte=date_to)
    return qs.annotate(has_error=Exists(CheckError.objects.filter(check_record=OuterRef("pk"))))


def scoped_feedback(user, date_from=None, date_to=None):
    feedback = FeedbackItem.objects.all() if sees_all(user) else FeedbackItem.objects.filter(examiner=user)
    if date_from:
        feedback = feedback.filter(created_at__date__gte=date_from)
    if date_to:
        feedback = feedback.filter(created_at__date__lte=date_to)
    return feedback


def _rows(qs, key, label=None):
    rows = []
    for r in (qs.values(key).annotate(n=Count("pk"), with_errors=Count("pk", filter=Q(has_error=True)),
                                      avg_score=Avg("score")).order_by(key)):
        rows.append({
            "key": r[key], "label": label(r[key]) if label else r[key], "checks": r["n"],
            "with_errors": r["with_errors"], "error_rate": _rate(r["with_errors"], r["n"]) or 0.0,
            "avg_score": _avg(r["avg_score"]),
        })
    return rows


def _category_rows(checks, total):
    """Per error category: checks with at least one error of it, its share of all checks
    (the category's error rate), the number of errors and the average score of those checks."""
    errors = CheckError.objects.filter(check_record__in=checks.values("pk"))
    rows = []
    for r in (errors.values("error_type__category")
              .annotate(errors=Count("pk"), checks=Count("check_record", distinct=True))
              .order_by("-checks", "-errors", "error_type__category")):
        category = r["error_type__category"]
        with_category = checks.filter(Exists(CheckError.objects.filter(
            check_record=OuterRef("pk"), error_type__category=category)))
        rows.append({"key": category, "label": category, "checks": r["checks"], "errors": r["errors"],
                     "error_rate": _rate(r["checks"], total) or 0.0,
                     "avg_score": _avg(with_category.aggregate(a=Avg("score"))["a"])})
    return rows


def _consistency(feedback):
    """Comparable items (grant / rejection) only; a deemed withdrawal is not counted."""
    from prescreen.models import Opinion, PreExamCase

    agg = feedback.aggregate(n=Count("pk", filter=Q(consistent__isnull=False)),
                             n_consistent=Count("pk", filter=Q(consistent=True)),
                             n_not_comparable=Count("pk", filter=Q(consistent__isnull=True)))
    outcomes = PreExamCase.CnipaOutcome.choices
    conclusions = dict(Opinion.Conclusion.choices)
    cells = {(r["conclusion"], r["cnipa_outcome"]): r["n"]
             for r in feedback.values("conclusion", "cnipa_outcome").annotate(n=Count("pk"))}
    present = {code for code, _outcome in cells}
    ordered = [code for code in conclusions if code in present] + sorted(present - set(conclusions))
    matrix = [{"conclusion": code, "label": str(conclusions.get(code, code)),
               "cells": [cells.get((code, outcome), 0) for outcome, _label in outcomes]} for code in ordered]
    by_examiner = []
    for r in (feedback.filter(consistent__isnull=False).values("examiner")
              .annotate(n=Count("pk"), n_consistent=Count("pk", filter=Q(consistent=True))).order_by("examiner")):
        by_examiner.append({"examiner": r["examiner"], "total": r["n"], "consistent": r["n_consistent"],
                            "rate": _rate(r["n_consistent"], r["n"])})
    return {"total": agg["n"], "consistent": agg["n_consistent"], "not_comparable": agg["n_not_comparable"],
            "rate": _rate(agg["n_consistent"], agg["n"]), "outcomes": [str(label) for _c, label in outcomes],
            "matrix": matrix, "by_examiner": by_examiner}


def quality_stats(user, date_from=None, date_to=None):
    from ipcenter.accounts.models import User

    checks = completed_checks(user, date_from, date_to)
    feedback = scoped_feedback(user, date_from, date_to)
    names = {u.pk: str(u) for u in User.objects.filter(
        Q(pk__in=checks.values("examiner")) | Q(pk__in=feedback.values("examiner")))}
    levels = dict(Level.choices)
    severities = dict(ErrorType.Severity.choices)
    total = checks.aggregate(n=Count("pk"), with_errors=Count("pk", filter=Q(has_error=True)),
                             avg_score=Avg("score"))
    errors = CheckError.objects.filter(check_record__in=checks.values("pk"))
    consistency = _consistency(feedback)
    for row in consistency["by_examiner"]:
        row["label"] = names.get(row["examiner"], "")
    return {
        "total": {
            "checks": total["n"], "with_errors": total["with_errors"],
            "error_rate": _rate(total["with_errors"], total["n"]) or 0.0, "avg_score": _avg(total["avg_score"]),
        },
        "by_examiner": _rows(checks, "examiner", lambda pk: names.get(pk, "")),
        "by_level": _rows(checks, "level", lambda code: str(levels.get(code, code))),
        "by_field": _rows(checks, "case__technical_field__name", lambda name: field_name(name) or _("（未指定）")),
        "by_month": [dict(r, label=r["key"].strftime("%Y-%m")) for r in
                     _rows(checks.annotate(month=TruncMonth("completed_at")), "month")],
        "by_category": _category_rows(checks, total["n"]),
        "by_severity": [{"key": r["error_type__severity"], "label": str(severities.get(r["error_type__severity"])),
                         "errors": r["n"]}
                        for r in errors.values("error_type__severity").annotate(n=Count("pk")).order_by("-n")],
        "consistency": consistency,
        "mismatches": list(feedback.filter(consistent=False).select_related("case", "examiner")[:20]),
        "mismatch_count": feedback.filter(consistent=False).count(),
        "sees_all": sees_all(user),
    }

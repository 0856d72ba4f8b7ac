"""Pre-exam risk: near-duplicate filings and entities whose filings fail too often.
"""
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.workflow.engine import record_event, run_transition

from ..models import PreExamCase, PrescreenSettings


# On PostgreSQL the comparable cases closest by trigram similarity (GIN pg_trgm index, migration
# 0005) are scored exactly; the index finds them among all comparable cases, however many.
SIMILARITY_CANDIDATES = 50


def _similarity_candidates(case, candidates):
    """(pk, text) rows of ``candidates`` worth scoring against ``case``: every one of them —
    on PostgreSQL narrowed by the trigram index to the closest texts, elsewhere streamed."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return candidates.values_list("pk", "claims_abstract_text").iterator(chunk_size=500)
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.contrib.postgres.search import TrigramSimilarity

    PreExamCase._meta.get_field("claims_abstract_text").register_lookup(TrigramSimilar)
    text = case.claims_abstract_text
    return (candidates.filter(claims_abstract_text__trigram_similar=text)
            .annotate(trigram=TrigramSimilarity("claims_abstract_text", text))
            .order_by("-trigram", "-pk").values_list("pk", "claims_abstract_text")[:SIMILARITY_CANDIDATES])


def flag_near_duplicate(case):
    """Mark the case with its most similar earlier case (same applicant, or any case of the
    same field, per settings) when the claims/abstract similarity reaches the threshold.
    Every case in that scope is compared, however old."""
    from ..similarity import best_matches, fingerprint

    cfg = PrescreenSettings.load()
    if not case.claims_abstract_text:
        return None
    candidates = PreExamCase.objects.exclude(pk=case.pk).exclude(claims_abstract_text="").exclude(
        state=PreExamCase.State.DRAFT)
    if cfg.similarity_scope == PrescreenSettings.SimilarityScope.SAME_APPLICANT:
        candidates = candidates.filter(organization=case.organization)
    else:
        candidates = candidates.filter(technical_field=case.technical_field)
    rows = _similarity_candidates(case, candidates)
    matches = best_matches(case.claims_abstract_text, rows, threshold=float(cfg.similarity_threshold), limit=1)
    update = {"fingerprint": fingerprint(case.claims_abstract_text)}
    if matches:
        update.update(similar_case_id=matches[0][0], similarity_score=round(matches[0][1], 3))
    PreExamCase.objects.filter(pk=case.pk).update(**update)
    for key, value in update.items():
        setattr(case, key, value)
    if matches:
        record_event(case, "prescreen.preexamcase.near_duplicate", None,
                     data={"case": matches[0][0], "score": round(matches[0][1], 3)})
    return matches[0] if matches else None


# --- risk -----------------------------------------------------------------------------------
def failure_figures(organization, today=None):
    """(failed, concluded) pre-exam cases of the entity over the rolling 12 months."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    concluded = PreExamCase.objects.filter(
        organization=organization, concluded_at__date__gt=since, concluded_at__date__lte=today,
        state__in=[PreExamCase.State.QUALIFIED, PreExamCase.State.UNQUALIFIED])
    failed = concluded.filter(state=PreExamCase.State.UNQUALIFIED).count()
    return failed, concluded.count()


def review_entity_risk(today=None):
    """Suspend (> 50 %) or cancel (> 70 %) registrations by their rolling failure rate, and
    suspend on a 非正常申请 finding in the last 2 years (thresholds configurable).  The
    figures that triggered the action are kept in ``risk_note`` and on the timeline."""
    from dateutil.relativedelta import relativedelta

    from ..models import Registration

    today = today or timezone.localdate()
    cfg = PrescreenSettings.load()
    actions = []
    for reg in Registration.objects.filter(state__in=[Registration.State.REGISTERED,
                                                      Registration.State.SUSPENDED]).select_related("organization"):
        failed, total = failure_figures(reg.organization, today)
        rate = failed / total if total else 0.0
        figures = _("近12个月办结 %(total)s 件，不合格 %(failed)s 件，不合格率 %(rate).0f%%。") % {
            "total": total, "failed": failed, "rate": rate * 100}
        if total >= cfg.risk_min_cases and rate > float(cfg.risk_cancel_rate):
            def cancel(locked, note=figures):
                locked.cancelled_on, locked.risk_note = today, note
            run_transition(reg, "cancel", None, _("不合格率超过取消阈值：") + figures, check_permission=False,
                           on_change=cancel)
            actions.append((reg.pk, "cancel"))
            continue
        if reg.state != Registration.State.REGISTERED:
            continue
        abnormal = reg.abnormal_finding_on and reg.abnormal_finding_on > today - relativedelta(years=2)
        if abnormal or (total >= cfg.risk_min_cases and rate > float(cfg.risk_suspend_rate)):
            note = _("两年内存在非正常申请认定。") if abnormal else figures

            def suspend(locked, note=note):
                locked.suspended_until = today + relativedelta(months=cfg.suspension_months)
                locked.risk_note = note
            run_transition(reg, "suspend", None, _("触发风险规则：") + note, check_permission=False,
                           on_change=suspend)
            actions.append((reg.pk, "suspend"))
    return actions

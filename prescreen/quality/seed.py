"""Demo data of the quality check: CNIPA feedback for every decided case, a department-level
sample of last month's opinions with completed checks (one returned for a fix, one appealed),
and an open centre-level sample on the QC reviewer's work list."""
import datetime

from django.utils import timezone

from prescreen.models import Opinion, PreExamCase

from . import services
from .models import QualityCheck, ErrorType, Level


def seed(ctx):
    users = ctx["users"]
    qc, manager = users.get("qc"), users.get("manager")
    if qc is None or manager is None:
        return
    decided = PreExamCase.objects.exclude(cnipa_outcome="").filter(opinions__state=Opinion.State.ISSUED).distinct()
    feedback = sum(1 for case in decided if services.record_feedback(case, None))
    today = timezone.localdate()
    issued = Opinion.objects.filter(state=Opinion.State.ISSUED)
    first = issued.order_by("issued_at").values_list("issued_at", flat=True).first()
    if first is None:
        return
    start = max(timezone.localtime(first).date(), today - datetime.timedelta(days=120))
    small = ctx.get("volume") == "small"  # fewer opinions: a larger share gives the same work list
    sample = services.draw_sample(Level.DEPARTMENT, qc, period_start=start, period_end=today,
                                  share=0.6 if small else 0.3, seed=20261128)
    errors = {e.code: e for e in ErrorType.objects.all()}
    checks = list(QualityCheck.objects.filter(sample=sample).select_related("opinion").order_by("pk"))
    for i, check in enumerate(checks[:-2]):  # the last two stay open on the work list
        if check.reviewer_id is None:
            continue
        if i % 4 == 1:
            services.add_error(check, qc, error_type=errors["unclear-opinion"], comment="修改建议表述笼统，申请人难以操作。",
                               defect_item=check.opinion.items.first())
            services.complete_check(check, qc, outcome=QualityCheck.Outcome.REMARKS, score=86,
                                    comment="结论正确，个别建议可更具体。")
        elif i % 4 == 2:
            services.add_error(check, qc, error_type=errors["claim-defect-missed"],
                               comment="未指出从属权利要求的引用基础问题。")
            done = services.complete_check(check, qc, outcome=QualityCheck.Outcome.RETURN, score=70,
                                           comment="请补充对从属权利要求的审查意见，并在下一轮意见中注意。")
            if i == 2:
                services.appeal(done, done.examiner, "该从属权利要求的引用关系在说明书中已有明确记载，不构成缺陷。")
        else:
            services.complete_check(check, qc, outcome=QualityCheck.Outcome.PASS, score=95)
    if ctx.get("stdout"):
        ctx["stdout"].write(f"  quality: {feedback} CNIPA feedback items, sample of {len(sample.selected)} "
                            f"from {len(sample.population)} opinions")

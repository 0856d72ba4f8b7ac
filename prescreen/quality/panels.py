"""The quality app's panels on the pre-exam case page and on the home page."""
from django.db.models import Q
from django.utils.translation import gettext as _

from ipcenter.accounts import roles

from .models import QualityCheck, FeedbackItem, FixTask
from .services import FIX_KIND, with_due


def case_panel(request, case):
    user = request.user
    if not user.is_internal:
        return None
    checks = list(QualityCheck.objects.visible_to(user).filter(case=case)
                  .select_related("reviewer", "examiner", "opinion").prefetch_related("errors__error_type"))
    tasks = {t.check_record_id: t for t in with_due(FixTask.objects.visible_to(user).filter(case=case), FIX_KIND)}
    for check in checks:
        check.fix = tasks.get(check.pk)
    feedback = FeedbackItem.objects.visible_to(user).filter(case=case).first()
    if not checks and not feedback:
        return None
    return {"template": "quality/_case_panel.html", "checks": checks, "feedback": feedback}


def home_panel(request):
    user = request.user
    mine = QualityCheck.objects.filter(reviewer=user, state=QualityCheck.State.OPEN)  # scoped: the reviewer's own checks
    panel = {"template": "quality/_home_panel.html", "title": _("质检"),
             "to_check": mine.count(),
             "fix_tasks": FixTask.objects.filter(examiner=user, state=FixTask.State.OPEN).count()}  # scoped: own tasks
    if user.has_role(roles.EXAMINER):
        panel["peer_pool"] = (QualityCheck.objects.visible_to(user)
                              .filter(Q(reviewer__isnull=True), level="peer", state=QualityCheck.State.OPEN).count())
    if user.is_centre_wide or user.has_role(roles.QC_REVIEWER):
        panel["unassigned"] = QualityCheck.objects.filter(state=QualityCheck.State.OPEN, reviewer__isnull=True).count()  # scoped: QC/managers only
    return panel


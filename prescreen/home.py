"""Pre-exam panel on the home page: the applicant's cases and quota, the examiner's queue,
the manager's intake."""
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.accounts import roles

from .models import PreExamCase, Registration

S = PreExamCase.State


def home_panel(request):
    user = request.user
    cases = PreExamCase.objects.visible_to(user)
    panel = {"template": "prescreen/_home_panel.html", "title": _("专利预审")}
    if user.has_role(roles.APPLICANT, roles.AGENCY) and user.organization_id:
        from .services import annual_quota, quota_used

        counts = cases.aggregate(
            draft=Count("pk", filter=Q(state=S.DRAFT)),
            open=Count("pk", filter=Q(state__in=[S.SUBMITTED, S.ACCEPTED, S.EXAMINING])),
            correction=Count("pk", filter=Q(state=S.NEEDS_CORRECTION)),
            qualified=Count("pk", filter=Q(state=S.QUALIFIED)),
        )
        reg = Registration.objects.visible_to(user).filter(organization_id=user.organization_id).order_by("-submitted_at").first()
        year = timezone.localdate().year
        panel.update(kind="applicant", counts=counts, registration=reg,
                     quota=annual_quota(user.organization, year) if reg else None,
                     used=quota_used(user.organization, year) if reg else None)
    elif user.has_role(roles.EXAMINER):
        mine = PreExamCase.objects.visible_to(user).filter(examiner=user, state__in=[S.EXAMINING, S.NEEDS_CORRECTION]).aggregate(
            examining=Count("pk", filter=Q(state=S.EXAMINING)), correction=Count("pk", filter=Q(state=S.NEEDS_CORRECTION)))
        panel.update(kind="examiner", queue=PreExamCase.objects.queue_for(user).count(), **mine)  # scoped: the examiner's own fields
    else:
        counts = cases.aggregate(submitted=Count("pk", filter=Q(state=S.SUBMITTED)),
                                 queue=Count("pk", filter=Q(state=S.ACCEPTED)),
                                 examining=Count("pk", filter=Q(state__in=[S.EXAMINING, S.NEEDS_CORRECTION])))
        panel.update(kind="manager", counts=counts,
                     registrations=Registration.objects.visible_to(user).filter(state=Registration.State.APPLYING).count())
    return panel

"""Permission predicates of the quality check (autodiscovered by django-rules)."""
import rules

from ipcenter.accounts.rules import is_centre_manager, is_examiner, is_qc_reviewer

rules.add_perm("quality.view_stats", is_examiner | is_qc_reviewer | is_centre_manager)
rules.add_perm("quality.draw_sample", is_qc_reviewer | is_centre_manager)


# --- which forms a check's page offers (the services enforce the same rules) ---------------------

@rules.predicate
def reviews_check(user, check):
    """The reviewer of an open check records errors and completes it."""
    from .models import QualityCheck

    return check.state == QualityCheck.State.OPEN and check.reviewer_id == user.pk


@rules.predicate
def may_take_check(user, check):
    """An open check without a reviewer is taken by someone other than its examiner."""
    from .models import QualityCheck

    return check.state == QualityCheck.State.OPEN and not check.reviewer_id and check.examiner_id != user.pk


@rules.predicate
def may_appeal(user, check):
    return check.examiner_id == user.pk and check.can_appeal


@rules.predicate
def fixes_check(user, check):
    """The examiner reports the fix of the open fix task a check gave them."""
    from .models import FixTask

    return FixTask.objects.filter(check_record=check, state=FixTask.State.OPEN,  # scoped: of a visible check
                                  examiner_id=user.pk).exists()

"""备案: eligibility shown rule by rule, staff decisions, the 3-year bar after cancellation."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ipcenter.workflow.engine import run_transition
from prescreen import services
from prescreen.models import Registration
from tests import factories

pytestmark = pytest.mark.django_db

GOOD = dict(registered_in_region=True, established_on=datetime.date(2018, 5, 1), insured_staff=50,
            invention_patents=2, utility_design_patents=0, contact_name="王经理", contact_phone="0471-1234567")


def apply(user, **overrides):
    return services.apply_registration(user, technical_fields=[factories.field("biology")], **{**GOOD, **overrides})


def test_eligible_entity_is_approved(applicant_user, manager_user):
    reg = apply(applicant_user)
    assert all(r["passed"] for r in reg.eligibility) and len(reg.eligibility) == 6
    reg = services.approve_registration(reg, manager_user)
    assert reg.state == Registration.State.REGISTERED and reg.decided_by == manager_user


@pytest.mark.parametrize("overrides,code", [
    ({"insured_staff": 4}, "staff"),
    ({"invention_patents": 0, "utility_design_patents": 2}, "patents"),
    ({"registered_in_region": False}, "region"),
    ({"abnormal_finding_on": datetime.date.today() - datetime.timedelta(days=30)}, "abnormal"),
])
def test_each_failed_rule_is_shown_and_blocks_approval(applicant_user, manager_user, overrides, code):
    reg = apply(applicant_user, **overrides)
    assert [r["code"] for r in reg.eligibility if not r["passed"]] == [code]
    with pytest.raises(ValidationError):
        services.approve_registration(reg, manager_user)
    services.return_registration(reg, manager_user, "不满足备案条件，请补充材料后重新申请")
    reg.refresh_from_db()
    assert reg.state == Registration.State.RETURNED and reg.return_reason


def test_young_company_fails_the_age_rule(applicant_user):
    reg = apply(applicant_user, established_on=timezone.localdate() - datetime.timedelta(days=200))
    assert [r["code"] for r in reg.eligibility if not r["passed"]] == ["age"]


def test_one_live_application_and_three_year_bar(applicant_user, manager_user):
    reg = apply(applicant_user)
    with pytest.raises(ValidationError):
        apply(applicant_user)
    services.approve_registration(reg, manager_user)
    run_transition(reg, "cancel", manager_user, "非正常申请")
    reg.refresh_from_db()
    reg.cancelled_on = timezone.localdate() - datetime.timedelta(days=365)
    reg.save()
    with pytest.raises(ValidationError) as err:
        apply(applicant_user)
    assert "3 年内不得重新申请" in err.value.messages[0]
    reg.cancelled_on = timezone.localdate() - datetime.timedelta(days=4 * 365)
    reg.save()
    assert apply(applicant_user).state == Registration.State.APPLYING


def test_only_company_users_apply_and_only_managers_decide(applicant_user, examiner_user):
    with pytest.raises(PermissionDenied):
        apply(examiner_user)
    reg = apply(applicant_user)
    with pytest.raises(PermissionDenied):
        services.approve_registration(reg, applicant_user)

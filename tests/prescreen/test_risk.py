"""Risk rules at their thresholds (rolling 12 months, configurable)."""
import datetime

import pytest
from django.utils import timezone

from prescreen import services
from prescreen.models import PreExamCase, Registration
from tests import factories
from tests.prescreen.test_filing import register

pytestmark = pytest.mark.django_db


def concluded(org, user, qualified, unqualified, days_ago=30):
    when = timezone.now() - datetime.timedelta(days=days_ago)
    for state, n in ((PreExamCase.State.QUALIFIED, qualified), (PreExamCase.State.UNQUALIFIED, unqualified)):
        for _ in range(n):
            PreExamCase.objects.create(organization=org, filed_by=user, title="t", applicants="a", inventors="b",
                                       technical_field=factories.field("biology"), state=state, concluded_at=when)


@pytest.mark.parametrize("qualified,unqualified,expected", [
    (5, 5, Registration.State.REGISTERED),   # 50 % is not over 50 %
    (4, 6, Registration.State.SUSPENDED),    # 60 %
    (3, 7, Registration.State.SUSPENDED),    # 70 % is not over 70 %
    (2, 8, Registration.State.CANCELLED),    # 80 %
])
def test_failure_rate_thresholds(org, applicant_user, qualified, unqualified, expected):
    reg = register(org)
    concluded(org, applicant_user, qualified, unqualified)
    services.review_entity_risk()
    reg.refresh_from_db()
    assert reg.state == expected
    if expected != Registration.State.REGISTERED:
        assert f"不合格 {unqualified} 件" in reg.risk_note
    if expected == Registration.State.SUSPENDED:
        assert reg.suspended_until >= timezone.localdate() + datetime.timedelta(days=180)


def test_old_cases_and_small_numbers_do_not_count(org, applicant_user):
    reg = register(org)
    concluded(org, applicant_user, 0, 10, days_ago=400)   # outside the rolling window
    concluded(org, applicant_user, 0, 4)                  # fewer than the minimum of 5
    assert services.review_entity_risk() == []
    reg.refresh_from_db()
    assert reg.state == Registration.State.REGISTERED


def test_abnormal_finding_suspends_and_rerun_is_idempotent(org, applicant_user):
    reg = register(org)
    reg.abnormal_finding_on = timezone.localdate() - datetime.timedelta(days=100)
    reg.save()
    assert services.review_entity_risk() == [(reg.pk, "suspend")]
    assert services.review_entity_risk() == []
    reg.refresh_from_db()
    assert reg.state == Registration.State.SUSPENDED and "非正常" in reg.risk_note

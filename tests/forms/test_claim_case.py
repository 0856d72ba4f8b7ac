"""“领取此案” on an unclaimed accepted case's page: an examiner of its field takes it; two
examiners clicking at once — one wins, the other is told who took it; others get a hint."""
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from prescreen import services
from prescreen.models import PreExamCase
from tests import factories
from tests.conftest import login
from tests.prescreen.test_claim import submitted_case

S = PreExamCase.State


@pytest.fixture
def accepted(org, applicant_user, manager_user):
    return services.accept_case(submitted_case(org, applicant_user), manager_user)


@pytest.mark.django_db
def test_an_examiner_of_the_field_sees_the_button_and_claims_the_case(client, accepted):
    bio = factories.examiner(("biology",))
    login(client, bio)
    page = client.get(accepted.get_absolute_url()).content.decode()
    assert 'data-testid="claim-case"' in page and "领取此案" in page
    r = client.post(reverse("prescreen:case-claim", args=[accepted.pk]), follow=True)
    accepted.refresh_from_db()
    assert accepted.state == S.EXAMINING and accepted.examiner == bio
    body = r.content.decode()
    assert "已领取案件" in body and 'data-testid="claim-case"' not in body


@pytest.mark.django_db
def test_the_second_examiner_is_told_who_took_it(client, accepted):
    first, second = factories.examiner(("biology",), display_name="王预审"), factories.examiner(("biology",))
    services.claim_case(accepted, first)
    login(client, second)
    r = client.post(reverse("prescreen:case-claim", args=[accepted.pk]), follow=True)
    assert "该案件已被" in r.content.decode()
    accepted.refresh_from_db()
    assert accepted.examiner == first


@pytest.mark.django_db
def test_an_examiner_of_another_field_gets_a_404(client, accepted):
    login(client, factories.examiner(("new-materials",)))
    assert client.get(accepted.get_absolute_url()).status_code == 404
    assert client.post(reverse("prescreen:case-claim", args=[accepted.pk])).status_code == 404
    accepted.refresh_from_db()
    assert accepted.state == S.ACCEPTED and accepted.examiner is None


@pytest.mark.django_db
def test_an_examiner_who_reads_the_case_but_lacks_its_field_gets_a_hint_not_a_button(client, accepted):
    from ipcenter.accounts import roles

    user = factories.examiner(("new-materials",))
    user.groups.add(factories.manager().groups.get(name=roles.MANAGER))
    login(client, user)
    page = client.get(accepted.get_absolute_url()).content.decode()
    assert 'data-testid="claim-case"' not in page and 'data-testid="claim-hint"' in page and "不负责该领域" in page
    r = client.post(reverse("prescreen:case-claim", args=[accepted.pk]), follow=True)
    assert "不负责该领域" in r.content.decode()
    accepted.refresh_from_db()
    assert accepted.state == S.ACCEPTED and accepted.examiner is None


@pytest.mark.django_db
def test_an_applicant_cannot_claim(client, accepted, applicant_user):
    login(client, applicant_user)
    assert 'data-testid="claim-case"' not in client.get(accepted.get_absolute_url()).content.decode()
    assert client.post(reverse("prescreen:case-claim", args=[accepted.pk])).status_code == 403
    accepted.refresh_from_db()
    assert accepted.state == S.ACCEPTED


@pytest.mark.django_db(transaction=True)
def test_two_examiners_clicking_at_once_one_wins(org, applicant_user, manager_user):
    case = services.accept_case(submitted_case(org, applicant_user), manager_user)
    examiners = [factories.examiner(("biology",)), factories.examiner(("biology",))]
    barrier, results = threading.Barrier(2), []

    def click(user):
        try:
            c = login(Client(), user)
            barrier.wait()
            r = c.post(reverse("prescreen:case-claim", args=[case.pk]), follow=True)
            results.append(r.content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(u,)) for u in examiners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    case.refresh_from_db()
    assert case.state == S.EXAMINING and case.examiner in examiners
    assert sum("已领取案件" in r for r in results) == 1
    assert sum("该案件已被" in r for r in results) == 1
    from ipcenter.workflow.models import TimelineEvent
    assert TimelineEvent.objects.filter(object_id=case.pk, action="prescreen.preexamcase.claimed").count() == 1

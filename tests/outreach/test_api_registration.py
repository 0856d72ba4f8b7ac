"""A signed-in company user registers through the API (POST /api/v1/outreach/registrations/) with
the page's service and rules: capacity, waiting list, audience, approval; field errors are 400s;
an event that is not published is a 404."""
import pytest
from django.core import mail

from outreach.models import Event, Registration
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db
URL = "/api/v1/outreach/registrations/"


def _post(client, user, event_pk, **body):
    login(client, user)
    return client.post(URL, {"event": event_pk, "mobile": body.pop("mobile", "13900000001"), **body},
                       content_type="application/json")


def test_company_user_registers_and_reads_it_back(client, make_event, applicant_user,
                                                  django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        r = _post(client, applicant_user, event.pk, email="jiang@example.test")
    assert r.status_code == 201, r.content
    body = r.json()
    reg = Registration.objects.get()
    assert body["id"] == reg.pk and body["state"] == "confirmed" and body["source"] == "account"
    assert body["code"] == reg.code and reg.user == applicant_user
    assert reg.organization_name == applicant_user.organization.name and reg.name  # from the account
    assert len(mail.outbox) == 1 and reg.code in mail.outbox[0].body
    assert [x["id"] for x in client.get(URL).json()["results"]] == [reg.pk]
    # the same account twice: the page's rule, a field error
    again = _post(client, applicant_user, event.pk, mobile="13900000009")
    assert again.status_code == 400 and "mobile" in again.json()
    # the seat is taken: the next one waits
    r = _post(client, factories.applicant(), event.pk, mobile="13900000002")
    assert r.status_code == 201 and r.json()["state"] == "waiting"


def test_approval_and_invite_code_rules(client, make_event, applicant_user):
    approval = make_event(requires_approval=True)
    r = _post(client, applicant_user, approval.pk)
    assert r.status_code == 201 and r.json()["state"] == "pending"
    invited = make_event(audience="invited", invite_code="IP426")
    r = _post(client, applicant_user, invited.pk, invite_code="nope")
    assert r.status_code == 400 and "invite_code" in r.json()
    assert _post(client, applicant_user, invited.pk, invite_code="IP426").status_code == 201


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_entities_only_refuses_an_organisation_not_yet_approved(client, make_event, status):
    event = make_event(audience="entities")
    user = factories.applicant(factories.OrganizationFactory(status=status))
    r = _post(client, user, event.pk)
    assert r.status_code == 400
    assert "本单位尚未通过中心审核" in " ".join(r.json()["organization_name"])
    assert not Registration.objects.exists()
    assert _post(client, factories.applicant(), event.pk).status_code == 201


def test_field_errors_are_400_and_save_nothing(client, make_event, applicant_user):
    event = make_event()
    r = _post(client, applicant_user, event.pk, mobile="12345", email="bad", name="x" * 61)
    assert r.status_code == 400 and {"mobile", "email", "name"} <= set(r.json())
    r = _post(client, applicant_user, "abc")
    assert r.status_code == 400 and "event" in r.json()
    login(client, applicant_user)
    assert client.post(URL, {}, content_type="application/json").status_code == 400
    assert not Registration.objects.exists()


def test_unpublished_or_unknown_event_is_404_and_anonymous_refused(client, make_event, applicant_user):
    draft = make_event(published=False)
    assert _post(client, applicant_user, draft.pk).status_code == 404
    assert _post(client, applicant_user, Event.objects.order_by("-pk").first().pk + 1000).status_code == 404
    client.logout()
    r = client.post(URL, {"event": make_event().pk, "mobile": "13900000001"}, content_type="application/json")
    assert r.status_code in (401, 403)
    assert not Registration.objects.exists()


def test_closed_registration_is_a_400(client, make_event, applicant_user):
    import datetime

    from django.utils import timezone

    event = make_event(registration_closes=timezone.now() + datetime.timedelta(minutes=1))
    Event.objects.filter(pk=event.pk).update(registration_closes=timezone.now() - datetime.timedelta(minutes=1))
    r = _post(client, applicant_user, event.pk)
    assert r.status_code == 400 and "non_field_errors" in r.json()

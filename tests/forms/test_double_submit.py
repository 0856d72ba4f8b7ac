"""A create form sent twice (double click, a replayed POST) makes one record: the second POST
shows the first one's result.  Forms carry a one-time token (``generic/_form.html``); the API
honours ``Idempotency-Key``."""
import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from ipcenter import submit_once
from ipcenter.accounts import roles
from navigation.models import NavigationProject
from prescreen.models import Registration
from rightsaid.mediation.models import Dispute
from rightsaid.models import Consultation, Exhibition
from tests import factories
from tests.conftest import login
from tests.rightsaid import factories as f

pytestmark = pytest.mark.django_db


def token_of(page):
    found = re.findall(r'name="_once" value="([^"]+)"', page.content.decode())
    assert found, "the form renders no one-time token"
    return found[0]


def post_twice(client, url, data, form_url=None):
    """GET the form, POST it twice with the same token; both responses."""
    data = dict(data, _once=token_of(client.get(form_url or url)))
    return client.post(url, data), client.post(url, data)


def assert_one_and_replayed(first, second, model):
    assert first.status_code == 302, getattr(first, "content", b"")[:2000]
    assert second.status_code == 302 and second.url == first.url
    assert model.objects.count() == 1


CONSULTATION = {"channel": "12330", "topic": "专利侵权如何取证", "ip_type": "patent", "requester_name": "张三",
                "question": "有企业仿冒我司专利产品。", "answer": "建议公证取证。", "duration_minutes": "15"}


def test_double_clicked_consultation_is_logged_once_and_the_second_post_shows_it(client):
    worker = f.worker("hohhot")
    login(client, worker)
    url = reverse("rightsaid:consultation-create")
    first, second = post_twice(client, url, dict(CONSULTATION, station=worker.station_id))
    assert_one_and_replayed(first, second, Consultation)
    assert first.url == Consultation.objects.get().get_absolute_url()
    page = client.get(second.url).content.decode()
    assert "该表单已经提交过" in page


def test_the_dashboard_consultation_form_is_guarded_too(client):
    worker = f.worker("hohhot")
    login(client, worker)
    token = token_of(client.get(reverse("rightsaid:index")))
    data = dict(CONSULTATION, station=worker.station_id, _once=token)
    url = reverse("rightsaid:consultation-create")
    assert_one_and_replayed(client.post(url, data), client.post(url, data), Consultation)


def test_a_form_with_errors_releases_its_token_and_the_corrected_form_is_saved_once(client):
    worker = f.worker("hohhot")
    login(client, worker)
    url = reverse("rightsaid:consultation-create")
    token = token_of(client.get(url))
    bad = client.post(url, dict(CONSULTATION, topic="", station=worker.station_id, _once=token))
    assert bad.status_code == 400 and not Consultation.objects.exists()
    good = dict(CONSULTATION, station=worker.station_id, _once=token)
    assert_one_and_replayed(client.post(url, good), client.post(url, good), Consultation)


def test_the_same_token_with_other_content_is_a_new_submission(client):
    worker = f.worker("hohhot")
    login(client, worker)
    url = reverse("rightsaid:consultation-create")
    token = token_of(client.get(url))
    client.post(url, dict(CONSULTATION, station=worker.station_id, _once=token))
    client.post(url, dict(CONSULTATION, topic="商标咨询", station=worker.station_id, _once=token))
    assert Consultation.objects.count() == 2


def test_another_user_cannot_replay_a_token(client):
    worker = f.worker("hohhot")
    login(client, worker)
    url = reverse("rightsaid:consultation-create")
    data = dict(CONSULTATION, station=worker.station_id, _once=token_of(client.get(url)))
    client.post(url, data)
    other = f.worker("hohhot")
    login(client, other)
    client.post(url, data)
    assert Consultation.objects.count() == 2


def test_a_replay_while_the_first_is_still_running_creates_nothing(client, monkeypatch):
    worker = f.worker("hohhot")
    login(client, worker)
    url = reverse("rightsaid:consultation-create")
    data = dict(CONSULTATION, station=worker.station_id, _once=token_of(client.get(url)))
    # the first request holds the token (it is still being processed)
    from django.test import RequestFactory
    req = RequestFactory().post(url, data)
    req.user = worker
    key = submit_once.cache_key("form", submit_once.owner_of(req), f"{data['_once']}:{submit_once.content_digest(req)}")
    assert submit_once.Claim(key).begin() is None
    monkeypatch.setattr(submit_once, "WAIT_SECONDS", 0.3)
    r = client.post(url, data, follow=True)
    assert "正在提交" in r.content.decode() and not Consultation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_with_one_token_make_one_consultation():
    from django.test import Client

    worker = f.worker("hohhot")
    url = reverse("rightsaid:consultation-create")
    c0 = login(Client(), worker)
    data = dict(CONSULTATION, station=worker.station_id, _once=token_of(c0.get(url)))
    barrier, results, failures = threading.Barrier(2, timeout=60), [], []

    def send():
        try:
            c = login(Client(), worker)
            barrier.wait()
            results.append(c.post(url, data))
        except BaseException as exc:  # a thread that dies must fail the test, not hang it
            failures.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures
    assert Consultation.objects.count() == 1
    assert sorted(r.status_code for r in results) == [302, 302]
    assert len({r.url for r in results}) == 1


def test_exhibition_form_is_guarded(client):
    worker = f.worker("hohhot")
    login(client, worker)
    data = {"name": "中国（呼和浩特）国际食品博览会", "venue": "内蒙古国际会展中心", "start_date": "2026-05-10",
            "end_date": "2026-05-13", "station": worker.station_id}
    first, second = post_twice(client, reverse("rightsaid:exhibition-create"), data)
    assert_one_and_replayed(first, second, Exhibition)


def test_mediation_dispute_form_is_guarded(client):
    mediator = factories.staff(roles.MEDIATOR, "mediation")
    login(client, mediator)
    data = {"subject": "商标侵权纠纷", "ip_type": "trademark", "station": mediator.station_id,
            "applicant_name": "呼和浩特草原乳品有限公司", "respondent_name": "包头市鹿城食品贸易商行"}
    first, second = post_twice(client, reverse("mediation:create"), data)
    assert_one_and_replayed(first, second, Dispute)


def test_registration_form_is_guarded(client, org, applicant_user):
    login(client, applicant_user)
    data = {"technical_fields": [factories.field("new-materials").pk], "registered_in_region": "on", "established_on": "2015-03-01",
            "insured_staff": "40", "invention_patents": "3", "utility_design_patents": "1",
            "contact_name": "王经理", "contact_phone": "0471-6543210"}
    first, second = post_twice(client, reverse("prescreen:registration-create"), data)
    assert_one_and_replayed(first, second, Registration)


def test_navigation_project_form_is_guarded(client, org):
    analyst = factories.staff(roles.NAVIGATION_ANALYST)
    login(client, analyst)
    data = {"name": "特种合金", "project_type": "rnd", "lead": analyst.pk, "topic": "高温合金",
            "client_organization": org.pk}
    first, second = post_twice(client, reverse("navigation:project-create"), data)
    assert_one_and_replayed(first, second, NavigationProject)


def test_api_post_with_the_same_idempotency_key_creates_one_consultation(client):
    worker = f.worker("hohhot")
    login(client, worker)
    body = dict(CONSULTATION, duration_minutes=15, station=worker.station_id)
    url = "/api/v1/rightsaid/consultations/"
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-123")
    second = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json() and second["Idempotent-Replayed"] == "true"
    assert Consultation.objects.count() == 1
    third = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-456")
    assert third.status_code == 201 and Consultation.objects.count() == 2


def test_a_failed_api_post_releases_its_idempotency_key(client):
    worker = f.worker("hohhot")
    login(client, worker)
    url = "/api/v1/rightsaid/consultations/"
    bad = client.post(url, dict(CONSULTATION, topic=""), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    body = dict(CONSULTATION, duration_minutes=15, station=worker.station_id)
    assert client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    assert Consultation.objects.count() == 1


def test_the_guard_script_is_on_every_page_and_has_no_inline_code(client):
    login(client, f.worker("hohhot"))
    page = client.get(reverse("rightsaid:consultation-create")).content.decode()
    assert "js/submit-once.js" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)

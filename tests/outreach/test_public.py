"""The public site, the public registration form, certificates and feedback."""
import datetime
import re
import shutil
import subprocess

import pytest
from django.core import mail
from django.utils import timezone

from outreach import services
from outreach.models import Article, Event, Publication, Registration
from tests.conftest import login
from tests.outreach.conftest import person

pytestmark = pytest.mark.django_db




def _answer(html):
    a, b = map(int, re.search(r"验证问题：(\d+) \+ (\d+)", html).groups())
    token = re.search(r'name="challenge" value="([^"]+)"', html).group(1)
    return {"challenge": token, "answer": a + b}


def _form(client, event):
    return _answer(client.get(f"/outreach/site/events/{event.pk}/register/").content.decode())


def test_public_pages_show_only_published(client, make_event, outreach_user):
    pub, draft = make_event(title="公开的培训"), make_event(title="内部草稿活动", published=False)
    services.save_article(Article(title="已发布新闻", body="<p>正文</p>", published=True), outreach_user)
    services.save_article(Article(title="未发布新闻", body="<p>草稿</p>"), outreach_user)
    Publication.objects.create(kind="animation", title="安安知道第1集", channel="douyin",
                               published_on=datetime.date(2026, 4, 26))
    Publication.objects.create(kind="article", title="未发布作品", channel="web",
                               published_on=datetime.date(2026, 4, 26), published=False)
    home = client.get("/outreach/site/").content.decode()
    assert "公开的培训" in home and "已发布新闻" in home and "安安知道第1集" in home
    assert "内部草稿活动" not in home and "未发布新闻" not in home
    assert "未发布作品" not in client.get("/outreach/site/publications/").content.decode()
    assert client.get(f"/outreach/site/events/{draft.pk}/").status_code == 404
    assert client.get(f"/outreach/site/events/{draft.pk}/register/").status_code == 404
    hidden = Article.objects.get(title="未发布新闻")
    assert client.get(f"/outreach/site/articles/{hidden.pk}/").status_code == 404
    assert client.get(f"/outreach/site/events/{pub.pk}/").status_code == 200
    ics = client.get(f"/outreach/site/events/{pub.pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"SUMMARY:" in ics.content
    api = client.get("/api/v1/outreach/public/events/").json()
    assert [e["title"] for e in api["results"]] == ["公开的培训"]
    assert client.post("/api/v1/outreach/public/events/", {"title": "x"}).status_code in (403, 405)


def test_script_in_article_never_reaches_a_page(client, outreach_user):
    art = services.save_article(Article(title="政策解读", kind="policy", published=True,
                                        body='<p onclick="x()">好</p><script>alert(1)</script><a href="javascript:alert(2)">链</a>'),
                                outreach_user)
    assert "<script" not in art.body and "onclick" not in art.body and "javascript:" not in art.body
    # even a body written around the service is cleaned on the way out
    Article.objects.filter(pk=art.pk).update(body="<p>x</p><script>alert(3)</script>")
    html = client.get(f"/outreach/site/articles/{art.pk}/").content.decode()
    assert "alert(3)" not in html and "<p>x</p>" in html


def test_public_registration_with_human_check(client, make_event, django_capture_on_commit_callbacks):
    event = make_event()
    data = {**person(1), **_form(client, event)}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/outreach/site/events/{event.pk}/register/", data)
    reg = Registration.objects.get(event=event)
    assert r.status_code == 302 and r["Location"] == f"/outreach/ticket/{reg.code}/"
    assert reg.code in mail.outbox[0].body
    ticket = client.get(r["Location"]).content.decode()
    assert reg.code in ticket and "<svg" in ticket


@pytest.mark.parametrize("field,value,message", [
    ("mobile", "12345678901", "手机号码"), ("mobile", "1381234567", "手机号码"), ("email", "not-an-email", "电子邮箱"),
])
def test_invalid_phone_or_email_field_errors_nothing_saved(client, make_event, field, value, message):
    event = make_event()
    data = {**person(1), **_form(client, event), field: value}
    r = client.post(f"/outreach/site/events/{event.pk}/register/", data)
    assert r.status_code == 400
    form = r.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    assert not Registration.objects.exists() and not mail.outbox


def test_wrong_human_answer_refused(client, make_event):
    event = make_event()
    data = {**person(1), **_form(client, event)}
    data["answer"] += 1
    r = client.post(f"/outreach/site/events/{event.pk}/register/", data)
    assert r.status_code == 400 and "answer" in r.context["form"].errors
    assert not Registration.objects.exists()


def test_rate_limit_on_public_form(client, make_event):
    event = make_event(capacity=100)
    statuses = []
    for i in range(7):
        data = {**person(i), **_form(client, event)}
        statuses.append(client.post(f"/outreach/site/events/{event.pk}/register/", data).status_code)
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]
    assert Registration.objects.count() == 5


def test_company_user_registers_from_account(client, make_event, applicant_user):
    event = make_event(audience="entities")
    login(client, applicant_user)
    page = client.get(f"/outreach/site/events/{event.pk}/register/").content.decode()
    assert "验证问题" not in page and applicant_user.organization.name in page
    r = client.post(f"/outreach/site/events/{event.pk}/register/", {
        "name": "蒋经理", "organization_name": applicant_user.organization.name, "mobile": "13900000001"})
    assert r.status_code == 302
    reg = Registration.objects.get()
    assert reg.user == applicant_user and reg.source == "account"
    assert event.title in client.get("/outreach/my/").content.decode()


def test_cancellation_link(client, make_event):
    event = make_event(capacity=1)
    a = services.register(event, **person(1))
    b = services.register(event, **person(2))
    client.post(f"/outreach/ticket/{a.code}/cancel/")
    a.refresh_from_db(), b.refresh_from_db()
    assert a.state == "cancelled" and b.state == "confirmed"


def _finished_attended(make_event, outreach_user):
    event = make_event(start_in=datetime.timedelta(hours=-5), hours=3, title="专利撰写实务培训")
    reg = services.register(event, source=Registration.Source.WALK_IN, actor=outreach_user,
                            **{**person(1), "name": "张三"})
    return event, reg


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext missing")
def test_certificate_pdf_and_verification(client, make_event, outreach_user, tmp_path):
    event, reg = _finished_attended(make_event, outreach_user)
    r = client.get(f"/outreach/ticket/{reg.code}/certificate/")
    assert r["Content-Type"] == "application/pdf"
    path = tmp_path / "c.pdf"
    path.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "参训证明" in text and "张三" in text and "专利撰写实务培训" in text.replace("\n", "") and "共计 3 学时" in text
    verify = reg.get_verification_path()
    assert verify.replace("/", "") in text.replace("\n", "").replace("/", "") or reg.certificate_digest() in text
    ok = client.get(verify).content.decode()
    assert "核验通过" in ok and "张三" in ok
    tampered = verify.rstrip("/")[:-1] + ("0" if not verify.rstrip("/").endswith("0") else "1") + "/"
    bad = client.get(tampered).content.decode()
    assert "核验未通过" in bad and "张三" not in bad
    # a certificate whose content changed (another name) no longer verifies
    Registration.objects.filter(pk=reg.pk).update(name="李四")
    assert "核验未通过" in client.get(verify).content.decode()


def test_no_certificate_before_event_end_or_without_attendance(client, make_event):
    event = make_event()
    reg = services.register(event, **person(1))
    r = client.get(f"/outreach/ticket/{reg.code}/certificate/")
    assert r.status_code == 302


def test_feedback_sent_once_and_summarised(client, make_event, outreach_user, django_capture_on_commit_callbacks):
    event, reg = _finished_attended(make_event, outreach_user)
    Event.objects.filter(pk=event.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_feedback_requests(event) == 1
        assert services.send_feedback_requests(event) == 0
        assert services.send_due_feedback_requests() == 0
    assert len(mail.outbox) == 1 and f"/outreach/ticket/{reg.code}/feedback/" in mail.outbox[0].body
    assert client.post(f"/outreach/ticket/{reg.code}/feedback/", {"rating": "9"}).status_code == 400
    assert client.post(f"/outreach/ticket/{reg.code}/feedback/", {"rating": "4", "comment": "很实用"}).status_code == 302
    assert client.post(f"/outreach/ticket/{reg.code}/feedback/", {"rating": "5"}).status_code == 400
    login(client, outreach_user)
    page = client.get(f"/outreach/events/{event.pk}/").content.decode()
    assert "很实用" in page and "4.0" in page or "4" in page


def test_training_record_by_year(client, make_event, outreach_user, applicant_user):
    event = make_event(start_in=datetime.timedelta(hours=-1), hours=2.5, title="年度培训")
    reg = services.register(event, user=applicant_user, source=Registration.Source.ACCOUNT, **person(1))
    services.check_in(event, reg.code, outreach_user)
    login(client, applicant_user)
    page = client.get("/outreach/my/").content.decode()
    assert f"{event.starts_at.year} 年 · 共 2.5 学时" in page


def test_public_form_asks_the_human_check_last_and_shows_seats(client, make_event):
    event = make_event(capacity=2)
    services.register(event, **person(1))
    form = client.get(f"/outreach/site/events/{event.pk}/register/").context["form"]
    assert [f.name for f in form.visible_fields()][-1] == "answer"
    page = client.get(f"/outreach/site/events/{event.pk}/").content.decode()
    assert "共 2 席，剩余 1 席" in page
    services.register(event, **person(2))
    page = client.get(f"/outreach/site/events/{event.pk}/").content.decode()
    assert "剩余 0 席" in page and "候补名单" in page
    assert "已满，可候补" in client.get("/outreach/site/events/").content.decode()


def test_public_bases_page_sums_firms_and_work(client, outreach_user):
    from outreach.models import PracticeBase
    from tests import factories

    firm = factories.OrganizationFactory()
    base = services.save_practice_base(PracticeBase(name="实践基地（乳业）", industry_chain="乳业", host_organization="蒙乳",
                                                    league=factories.station("hohhot"), opened_on=datetime.date(2024, 4, 26)),
                                       outreach_user, firms=[firm])
    services.log_base_activity(base, outreach_user, kind="cases_guided", date=datetime.date(2025, 1, 1), count=7)
    services.log_base_activity(base, outreach_user, kind="suggestions", date=datetime.date(2025, 1, 1), count=9)
    hidden = services.save_practice_base(PracticeBase(name="未发布基地", industry_chain="光伏", host_organization="x",
                                                      league=factories.station("baotou"), opened_on=datetime.date(2024, 5, 1),
                                                      published=False), outreach_user, firms=[])
    services.log_base_activity(hidden, outreach_user, kind="cases_guided", date=datetime.date(2025, 1, 1), count=100)
    page = client.get("/outreach/site/bases/").content.decode()
    assert "1 个基地覆盖 1 条重点产业链，入驻企业 1 家，累计指导案件 7 件、提出撰写建议 9 条" in page
    assert "未发布基地" not in page


@pytest.mark.parametrize("status", ["pending", "rejected"])
def test_entities_only_refuses_an_organisation_not_yet_approved(client, make_event, status):
    """The core rule (require_reviewed_organization), not outreach's own: a pending or rejected
    organisation's user gets the field-level message and nothing is saved; an active one registers."""
    from tests import factories

    event = make_event(audience="entities")
    waiting = factories.applicant(factories.OrganizationFactory(status=status))
    login(client, waiting)
    r = client.post(f"/outreach/site/events/{event.pk}/register/", {
        "name": "蒋经理", "organization_name": waiting.organization.name, "mobile": "13900000001"})
    assert r.status_code == 400
    errors = r.context["form"].errors
    assert "本单位尚未通过中心审核" in " ".join(errors["organization_name"])
    assert not Registration.objects.exists()
    active = factories.applicant()
    login(client, active)
    r = client.post(f"/outreach/site/events/{event.pk}/register/", {
        "name": "李经理", "organization_name": active.organization.name, "mobile": "13900000002"})
    assert r.status_code == 302
    assert Registration.objects.get().user == active


@pytest.mark.parametrize("proxies, behind_proxy", [(0, False), (1, True)])
def test_rate_limit_counts_the_client_address_the_core_gives(client, make_event, settings, proxies, behind_proxy):
    """Without trusted proxies visitors are told apart by REMOTE_ADDR (a forged X-Forwarded-For
    does not escape the limit); with TRUSTED_PROXY_COUNT=1 by the address the proxy forwarded,
    so visitors behind one proxy no longer share one limit."""
    settings.TRUSTED_PROXY_COUNT = proxies
    event = make_event(capacity=100)
    statuses = []
    for i in range(7):
        data = {**person(i), **_form(client, event)}
        statuses.append(client.post(f"/outreach/site/events/{event.pk}/register/", data, REMOTE_ADDR="10.0.0.1",
                                    HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code)
    if behind_proxy:
        assert statuses == [302] * 7
    else:
        assert statuses[:5] == [302] * 5 and statuses[5:] == [429, 429]

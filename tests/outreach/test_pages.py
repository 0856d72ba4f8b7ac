"""Staff pages render for the roles that use them and refuse the others; the article editor sanitises."""
import pytest

from outreach.models import Article
from tests.conftest import login

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/outreach/events/", "/outreach/events/new/", "/outreach/articles/", "/outreach/articles/new/",
               "/outreach/publications/", "/outreach/publications/new/", "/outreach/publications/import/",
               "/outreach/bases/", "/outreach/site/", "/outreach/site/news/", "/outreach/site/news/policy/",
               "/outreach/site/guides/", "/outreach/site/events/", "/outreach/site/publications/",
               "/outreach/site/bases/"]


def test_outreach_staff_pages_render(client, outreach_user, make_event):
    make_event()
    login(client, outreach_user)
    for url in STAFF_PAGES:
        r = client.get(url)
        assert r.status_code == 200, url
    assert "实践基地" in client.get("/outreach/events/").content.decode()


def test_station_staff_see_events_but_not_content_pages(client, baotou_staff):
    login(client, baotou_staff)
    assert client.get("/outreach/events/").status_code == 200
    assert client.get("/outreach/articles/").status_code in (403, 404)
    assert client.get("/outreach/publications/new/").status_code in (403, 404)


def test_applicant_lands_on_own_registrations(client, applicant_user):
    login(client, applicant_user)
    r = client.get("/outreach/")
    assert r.status_code == 302 and r["Location"] == "/outreach/my/"
    assert client.get("/outreach/events/").status_code in (403, 404)


def test_article_editor_sanitises_and_publishes(client, outreach_user):
    login(client, outreach_user)
    r = client.post("/outreach/articles/new/", {"kind": "news", "title": "开放日", "summary": "",
                                                "body": "<h2>标题</h2><script>alert(1)</script><p>正文</p>",
                                                "published": "on"})
    assert r.status_code == 302
    art = Article.objects.get()
    assert art.body == "<h2>标题</h2><p>正文</p>" and art.published_at is not None
    assert client.post("/outreach/articles/new/", {"kind": "news", "title": ""}).status_code == 400


def test_hostile_query_strings_never_500(client, outreach_user):
    login(client, outreach_user)
    for url in ["/outreach/events/?start_after=notadate&state=x&sort=';--", "/outreach/site/news/?page=abc",
                "/outreach/publications/?channel=zz&published_after=2026-99-99", "/outreach/ticket/NOPE/",
                "/outreach/site/certificates/999/abc/"]:
        assert client.get(url).status_code < 500, url


def test_materials_public_or_for_registrants_after_the_event(client, outreach_user, make_event):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from ipcenter.files.services import attachments_of
    from outreach import services
    from outreach.models import Event
    from tests.outreach.conftest import person

    event = make_event()
    reg = services.register(event, **person(1))
    login(client, outreach_user)
    pdf = SimpleUploadedFile("课件.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")
    assert client.post(f"/outreach/events/{event.pk}/materials/", {"files": [pdf]}).status_code == 302
    att = attachments_of(event).get()
    client.logout()
    public_url = f"/outreach/site/events/{event.pk}/materials/{att.pk}/"
    ticket_url = f"/outreach/ticket/{reg.code}/materials/{event.pk}/{att.pk}/"
    assert client.get(public_url).status_code == 404
    assert client.get(ticket_url).status_code == 404  # not before the end
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=4),
                                             ends_at=timezone.now() - datetime.timedelta(hours=1))
    assert client.get(ticket_url).status_code == 200
    assert client.get(f"/outreach/ticket/ABCDEFGHJKLM/materials/{event.pk}/{att.pk}/").status_code == 404
    Event.objects.filter(pk=event.pk).update(materials_public=True)
    r = client.get(public_url)
    assert r.status_code == 200 and b"%PDF" in b"".join(r.streaming_content)


JUNK = ["", " ", "x" * 5000, "-1", "99999999999999999999", "2026-13-45T25:61", "<script>alert(1)</script>", "\x00",
        "1e309", "NaN", "☃"]


def test_every_form_answers_junk_with_field_errors_never_500(client, outreach_user, make_event):
    """Each outreach form, fed junk in every field, answers 200/302/400/404/429 — never a 500."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from outreach import services
    from outreach.models import PracticeBase
    from tests import factories
    from tests.outreach.conftest import person

    event = make_event()
    reg = services.register(event, **person(1))
    base = services.save_practice_base(PracticeBase(name="基地", industry_chain="乳业", host_organization="x",
                                                    league=factories.station("hohhot"), opened_on=datetime.date(2024, 4, 26)),
                                       outreach_user, firms=[])
    forms = {
        "/outreach/events/new/": ["title", "kind", "station", "description", "venue", "online_url", "starts_at", "ends_at",
                                  "hours", "capacity", "registration_opens", "registration_closes", "audience",
                                  "invite_code"],
        f"/outreach/events/{event.pk}/edit/": ["title", "capacity", "starts_at", "ends_at", "station", "hours"],
        "/outreach/articles/new/": ["kind", "title", "summary", "body"],
        "/outreach/publications/new/": ["kind", "title", "channel", "number", "published_on", "url", "views", "likes",
                                        "shares"],
        "/outreach/bases/new/": ["name", "industry_chain", "host_organization", "league", "opened_on", "firms"],
        f"/outreach/bases/{base.pk}/": ["kind", "date", "count", "note"],
        f"/outreach/events/{event.pk}/walk-in/": ["name", "organization_name", "mobile", "email"],
        f"/outreach/events/{event.pk}/checkin/": ["code"],
        f"/outreach/site/events/{event.pk}/register/": ["name", "organization_name", "mobile", "email", "challenge",
                                                        "answer"],
        f"/outreach/ticket/{reg.code}/feedback/": ["rating", "comment"],
    }
    login(client, outreach_user)
    for url, fields in forms.items():
        for junk in JUNK:
            r = client.post(url, {f: junk for f in fields})
            assert r.status_code in (200, 302, 400, 404, 429), (url, junk[:20], r.status_code)
    for upload in (SimpleUploadedFile("r.csv", b"\xff\xfe\x00binary"), SimpleUploadedFile("r.csv", b"id,views\n1,2\n"),
                   SimpleUploadedFile("r.csv", b'id,views,likes,shares\n"1,2\n'), SimpleUploadedFile("r.csv", b"")):
        # refused on the page (400), or started as the import job that then fails (302)
        assert client.post("/outreach/publications/import/", {"file": upload}).status_code in (302, 400)
    for action in ("approve", "reject", "no_show", "explode"):
        assert client.post(f"/outreach/registrations/{reg.pk}/{action}/").status_code in (302, 404)
    for body in ({"code": "x" * 500}, {"code": ""}, {}):
        assert client.post(f"/api/v1/outreach/events/{event.pk}/check-in/", body,
                           content_type="application/json").status_code in (200, 400)
    for body in ({"capacity": -5, "title": ""}, {"starts_at": "yesterday"}, {"station": 999999}):
        assert client.patch(f"/api/v1/outreach/events/{event.pk}/", body,
                            content_type="application/json").status_code == 400


def test_implausible_dates_are_field_errors(client, outreach_user):
    from outreach.models import Event, PracticeBase, Publication
    from tests import factories

    login(client, outreach_user)
    event = {"title": "t", "kind": "training", "station": factories.station("baotou").pk, "starts_at": "2026-05-01T09:00",
             "ends_at": "2026-05-01T12:00", "hours": "3", "capacity": "10", "audience": "public"}
    for field, value in [("starts_at", "0001-01-01T00:00"), ("ends_at", "9999-12-31T23:59"), ("ends_at", "2026-07-01T12:00"),
                         ("registration_opens", "0001-01-01T00:00"), ("registration_closes", "2026-05-02T00:00")]:
        r = client.post("/outreach/events/new/", {**event, field: value})
        assert r.status_code == 400 and field in r.context["form"].errors, (field, value)
    assert not Event.objects.exists()
    r = client.post("/outreach/publications/new/", {"kind": "article", "title": "t", "channel": "web",
                                                    "published_on": "0001-01-01", "views": "0", "likes": "0", "shares": "0"})
    assert r.status_code == 400 and "published_on" in r.context["form"].errors and not Publication.objects.exists()
    r = client.post("/outreach/bases/new/", {"name": "n", "industry_chain": "c", "host_organization": "h",
                                             "league": factories.station("hohhot").pk, "opened_on": "0001-01-01"})
    assert r.status_code == 400 and "opened_on" in r.context["form"].errors and not PracticeBase.objects.exists()


def test_event_page_pages_the_registrations_and_keeps_exact_counts(client, outreach_user, make_event,
                                                                    django_assert_max_num_queries):
    """The registration list is paged (50 a page, ?page=): the page's cost does not grow with the
    event; the counts above it stay exact; a staff action brings the user back to the same page."""
    import re

    from outreach.models import Registration
    from outreach.views import REGISTRATIONS_PER_PAGE

    event = make_event(capacity=200)
    n = REGISTRATIONS_PER_PAGE + 7
    Registration.objects.bulk_create(Registration(event=event, name=f"参会人{i:03d}", mobile=f"139{i:08d}")
                                     for i in range(n))
    login(client, outreach_user)
    url = f"/outreach/events/{event.pk}/"
    first = client.get(url).content.decode()
    rows = lambda html: re.findall(r"参会人(\d{3})", html)  # noqa: E731
    assert len(rows(first)) == REGISTRATIONS_PER_PAGE
    assert f"{n} / 200" in first and "第 1 / 2 页" in first and f"{url}?page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert len(rows(second)) == 7 and not set(rows(first)) & set(rows(second))
    assert f"{n} / 200" in second and "第 2 / 2 页" in second
    # a bigger event costs the page no more queries
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    Registration.objects.bulk_create(Registration(event=event, name=f"后来者{i}", mobile=f"138{i:08d}")
                                     for i in range(120))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert len(re.findall(r"参会人\d{3}|后来者\d+", page)) == REGISTRATIONS_PER_PAGE and f"{n + 120} / 200" in page
    reg = Registration.objects.get(name="参会人055")
    r = client.post(f"/outreach/registrations/{reg.pk}/cancel/", {"next": f"{url}?page=2"})
    assert r.status_code == 302 and r["Location"] == f"{url}?page=2"

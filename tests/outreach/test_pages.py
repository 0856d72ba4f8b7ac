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

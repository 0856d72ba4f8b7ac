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

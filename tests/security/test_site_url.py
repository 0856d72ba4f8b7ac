"""Absolute links (QR codes, e-mails, calendar files) use SITE_URL when it is configured and
otherwise the address of the request being served; background tasks without a request fall
back to SITE_URL / the development address."""
import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from ipcenter.http import DEVELOPMENT_SITE_URL, absolute_url, site_url
from ipcenter.notify.services import notify, send_pending_emails
from tests import factories
from tests.outreach.conftest import make_event, outreach_user  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_host(settings):
    settings.ALLOWED_HOSTS = ["ipc.example.org", "testserver"]
    settings.SITE_URL = ""


def test_without_site_url_the_request_gives_the_origin(public_host):
    request = RequestFactory().get("/", HTTP_HOST="ipc.example.org", secure=True)
    assert site_url(request) == "https://ipc.example.org"
    assert absolute_url("/x/", request) == "https://ipc.example.org/x/"


def test_a_configured_site_url_wins(settings):
    settings.SITE_URL = "https://portal.example.org/"
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    assert site_url(request) == "https://portal.example.org"


def test_outside_a_request_the_development_address_is_the_last_resort(settings):
    settings.SITE_URL = ""
    assert site_url() == DEVELOPMENT_SITE_URL


def test_a_calendar_file_downloaded_from_the_site_links_to_the_site(client, public_host, make_event):  # noqa: F811
    event = make_event()
    resp = client.get(reverse("outreach:event-ics", args=[event.pk]), HTTP_HOST="ipc.example.org", secure=True)
    assert resp.status_code == 200
    text = resp.content.decode()
    assert f"URL:https://ipc.example.org{event.get_public_url()}" in text.replace("\r\n ", "")
    assert "127.0.0.1" not in text


def test_e_mails_sent_by_the_worker_use_site_url(settings):
    settings.SITE_URL = "https://ipc.example.org"
    user = factories.manager(email="m@example.test")
    notify([user], title="提醒", url="/prescreen/cases/1/", email=True)
    send_pending_emails()
    assert mail.outbox and "https://ipc.example.org/prescreen/cases/1/" in mail.outbox[-1].body

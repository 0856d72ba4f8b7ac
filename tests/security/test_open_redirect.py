"""No form of the portal follows a ``next`` (or Referer) off the site: every place that
redirects to a user-supplied target goes through ``ipcenter.http.safe_next``."""
import pytest
from django.test import RequestFactory
from django.urls import reverse

from ipcenter.http import safe_next
from tests import factories
from tests.conftest import login
from tests.rightsaid import factories as rf

pytestmark = pytest.mark.django_db

HOSTILE = ["https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
           "http:/\\evil.example", " //evil.example", "javascript:alert(1)", "/\t/evil.example", "https:evil.example"]


def _notifications(client, user):
    login(client, user)
    return reverse("notify:read-all"), {}, "/notifications/"


def _organization_transition(client, user):
    manager = factories.manager()
    org = factories.OrganizationFactory()
    login(client, manager)
    # "resubmit" is not allowed for an active organisation: the refusal redirects as well
    return reverse("accounts:organization-transition", args=[org.pk, "resubmit"]), {}, org.get_absolute_url()


def _assistance_transition(client, user):
    worker = rf.worker("hohhot")
    case = rf.case(worker)
    login(client, worker)
    return reverse("rightsaid:case-transition", args=[case.pk, "start_review"]), {}, case.get_absolute_url()


def _language_switch(client, user):
    login(client, user)
    return reverse("set_language"), {"language": "zh-hans"}, "/"


PLACES = {"notifications-read-all": _notifications, "organization-transition": _organization_transition,
          "assistance-case-transition": _assistance_transition, "language-switch": _language_switch}


@pytest.mark.parametrize("target", HOSTILE)
@pytest.mark.parametrize("place", PLACES)
def test_a_foreign_next_falls_back_to_the_page_itself(client, applicant_user, place, target):
    url, data, fallback = PLACES[place](client, applicant_user)
    resp = client.post(url, {**data, "next": target}, HTTP_REFERER=target)
    assert resp.status_code == 302
    location = resp["Location"]
    assert "evil" not in location and not location.startswith(("//", "/\\", "javascript:"))
    if place != "language-switch":  # Django's set_language falls back to "/"
        assert location == fallback


@pytest.mark.parametrize("place", PLACES)
def test_a_local_next_is_followed(client, applicant_user, place):
    url, data, _fallback = PLACES[place](client, applicant_user)
    resp = client.post(url, {**data, "next": "/prescreen/?page=2"})
    assert resp.status_code == 302 and resp["Location"] == "/prescreen/?page=2"


def test_login_does_not_follow_a_foreign_next(client, applicant_user):
    applicant_user.set_password("Geheim-12345")
    applicant_user.save()
    resp = client.post(reverse("accounts:login") + "?next=//evil.example/",
                       {"username": applicant_user.username, "password": "Geheim-12345",
                        "next": "//evil.example/"})
    assert resp.status_code == 302 and "evil" not in resp["Location"]


@pytest.mark.parametrize("secure,target,expected", [
    (False, "http://testserver/x", "http://testserver/x"),
    (True, "http://testserver/x", "/fallback"),  # https page never sends the user to http
    (True, "https://testserver/x", "https://testserver/x"),
    (False, "https://other.example/x", "/fallback"),
])
def test_safe_next_requires_the_same_host_and_https_when_secure(secure, target, expected):
    request = RequestFactory().post("/", {"next": target}, secure=secure)
    assert safe_next(request, "/fallback") == expected


def test_safe_next_can_use_the_referer():
    request = RequestFactory().get("/", HTTP_REFERER="/back/")
    assert safe_next(request, "/fallback", use_referer=True) == "/back/"
    request = RequestFactory().get("/", HTTP_REFERER="https://evil.example/")
    assert safe_next(request, "/fallback", use_referer=True) == "/fallback"

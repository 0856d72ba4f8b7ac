"""django-axes counts failed logins by the core's client address (``ipcenter.http.client_address``):
behind a trusted proxy, two clients failing a username's logins are counted separately, so one
client's failures do not lock the other out; without a trusted proxy a forged header changes nothing."""
import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _reset_axes():
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()
    yield


def _login(client, user, password, forwarded):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def test_behind_a_trusted_proxy_two_clients_are_counted_separately(client, org, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = factories.applicant(org)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "wrong", "203.0.113.7")
    r = _login(client, user, factories.PASSWORD, "203.0.113.7")
    assert r.status_code in (403, 429) and "_auth_user_id" not in client.session  # this client is locked
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    r = _login(client, user, factories.PASSWORD, "198.51.100.20")  # another client behind the same proxy
    assert r.status_code == 302 and "_auth_user_id" in client.session


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lockout(client, org, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = factories.applicant(org)
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user, "wrong", f"203.0.113.{i + 1}")
    r = _login(client, user, factories.PASSWORD, "198.51.100.20")
    assert r.status_code in (403, 429) and "_auth_user_id" not in client.session


def test_a_login_without_any_client_address_is_recorded_without_one(client, org):
    """The test client's force_login (or a socket without a peer) has no REMOTE_ADDR: axes
    stores no address rather than failing on its IP column."""
    from axes.models import AccessLog

    user = factories.applicant(org)
    client.force_login(user)
    assert client.get("/").status_code in (200, 302)
    assert AccessLog.objects.filter(username=user.username, ip_address__isnull=True).exists() or \
        not AccessLog.objects.exists()

"""The API token endpoint answers bad input with 400 field errors, never a 500."""
import pytest
from axes.models import AccessAttempt

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


@pytest.mark.parametrize("length", [151, 256, 300, 5000])
def test_an_over_long_username_is_a_400_field_error_and_not_recorded(client, length):
    resp = client.post(URL, {"username": "u" * length, "password": "x"}, content_type="application/json")
    assert resp.status_code == 400
    assert "150" in resp.json()["username"][0] and "用户名" in resp.json()["username"][0]
    assert not AccessAttempt.objects.exists()


def test_an_over_long_password_is_a_400_field_error(client):
    resp = client.post(URL, {"username": "someone", "password": "p" * 5000}, content_type="application/json")
    assert resp.status_code == 400 and "password" in resp.json()


@pytest.mark.parametrize("body", [{}, {"username": ""}, {"username": "a", "password": ""}, {"username": ["x"] * 3}])
def test_missing_or_malformed_fields_are_400(client, body):
    resp = client.post(URL, body, content_type="application/json")
    assert resp.status_code == 400


def test_wrong_password_is_400_and_right_one_gives_a_token(client):
    user = factories.manager()
    user.set_password("Richtig-12345")
    user.save()
    bad = client.post(URL, {"username": user.username, "password": "falsch"}, content_type="application/json")
    assert bad.status_code == 400 and "non_field_errors" in bad.json()
    good = client.post(URL, {"username": user.username, "password": "Richtig-12345"},
                       content_type="application/json")
    assert good.status_code == 200 and len(good.json()["token"]) == 40

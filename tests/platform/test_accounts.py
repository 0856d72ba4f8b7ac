"""Accounts: sign-up, lockout, password reset, organisation scoping, forms never 500 on odd input."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from ipcenter.accounts.models import Organization, Station, User
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset_axes():
    from axes.models import AccessAttempt
    AccessAttempt.objects.all().delete()
    yield


def _signup_data(**over):
    data = {
        "org_name": "包头稀土新材料有限公司", "uscc": factories.make_uscc(987654), "kind": "company",
        "league": Station.objects.leagues().first().pk, "address": "包头市", "display_name": "张三",
        "phone": "13800138000", "email": "zhang@example.com", "username": "zhangsan",
        "password1": "Xq7!mountain-river", "password2": "Xq7!mountain-river",
    }
    data.update(over)
    return data


def test_signup_creates_pending_organisation_and_user(client):
    r = client.post(reverse("accounts:signup"), _signup_data())
    assert r.status_code == 302
    user = User.objects.get(username="zhangsan")
    assert user.organization.name == "包头稀土新材料有限公司"
    assert user.organization.status == Organization.Status.PENDING
    assert client.get("/").status_code == 200


def test_signup_bad_uscc_check_digit_is_a_field_error(client):
    good = factories.make_uscc(987654)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    r = client.post(reverse("accounts:signup"), _signup_data(uscc=bad))
    assert r.status_code == 200
    assert r.context["form"].errors["uscc"]
    assert not User.objects.filter(username="zhangsan").exists()
    assert not Organization.objects.filter(name="包头稀土新材料有限公司").exists()


ODD = ["", " ", "' OR 1=1 --", "<script>alert(1)</script>", "\x00", "😀" * 300, "a" * 5000, "１２３", "../..",
       "-1", "9" * 40]


@pytest.mark.parametrize("value", ODD)
def test_signup_fuzz_never_500(client, value):
    fields = ["org_name", "uscc", "kind", "league", "phone", "email", "username", "password1", "technical_fields"]
    for i, field in enumerate(fields):
        before = User.objects.count()
        data = _signup_data(uscc=factories.make_uscc(900000 + i), username=f"fuzz{i}")
        data[field] = value
        r = client.post(reverse("accounts:signup"), data)
        assert r.status_code in (200, 302), (field, r.status_code)
        if r.status_code == 200:  # rejected: field error shown, nothing saved
            assert r.context["form"].errors, field
            assert User.objects.count() == before
        else:  # an odd but acceptable value (e.g. a quoted company name)
            client.logout()


@pytest.mark.parametrize("value", ODD)
def test_org_edit_fuzz_never_500(client, org, value):
    user = factories.applicant(org)
    login(client, user)
    url = reverse("accounts:organization-edit", args=[org.pk])
    name = org.name
    for field in ["name", "contact_email", "contact_phone", "technical_fields"]:
        data = {"name": org.name, "address": "", "contact_name": "李四", "contact_phone": "13800138000",
                "contact_email": "li@example.com", field: value}
        r = client.post(url, data)
        assert r.status_code in (200, 302), (field, r.status_code)
    org.refresh_from_db()
    assert len(org.name) <= 200


def test_applicant_cannot_see_or_edit_another_org(client, org, other_org):
    login(client, factories.applicant(org))
    assert client.get(reverse("accounts:organization-detail", args=[org.pk])).status_code == 200
    assert client.get(reverse("accounts:organization-detail", args=[other_org.pk])).status_code == 404
    assert client.get(reverse("accounts:organization-edit", args=[other_org.pk])).status_code == 404
    r = client.post(reverse("accounts:organization-edit", args=[other_org.pk]), {"name": "hijack"})
    assert r.status_code == 404
    other_org.refresh_from_db()
    assert other_org.name != "hijack"


def test_login_lockout_after_five_failures(client, org):
    user = factories.applicant(org)
    url = reverse("accounts:login")
    for _ in range(5):
        r = client.post(url, {"username": user.username, "password": "wrong"})
        assert r.status_code in (200, 429)
    r = client.post(url, {"username": user.username, "password": factories.PASSWORD})
    assert r.status_code in (403, 429)
    assert "_auth_user_id" not in client.session


def test_wrong_password_shows_chinese_error(client, org):
    user = factories.applicant(org)
    r = client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong"})
    assert "用户名或密码不正确" in r.content.decode()


def test_password_reset_email_link_works(client, org, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = factories.applicant(org, email="reset@example.com")
    r = client.post(reverse("accounts:password_reset"), {"email": "reset@example.com"})
    assert r.status_code == 302
    assert len(mail.outbox) == 1
    assert f"为账号 {user.username} 重设密码" in mail.outbox[0].body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    r = client.get(link, follow=True)
    assert r.status_code == 200
    form_url = r.redirect_chain[-1][0] if r.redirect_chain else link
    r = client.post(form_url, {"new_password1": "Brand-new-pass-42", "new_password2": "Brand-new-pass-42"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Brand-new-pass-42")


def test_org_edit_saves_fields_and_m2m_with_audit(client, org):
    from ipcenter.workflow.models import TimelineEvent

    login(client, factories.applicant(org))
    bio = factories.field("biology")
    r = client.post(reverse("accounts:organization-edit", args=[org.pk]), {
        "name": "新名称有限公司", "address": "呼和浩特", "contact_name": "李四", "contact_phone": "13800138000",
        "contact_email": "li@example.com", "technical_fields": [bio.pk]})
    assert r.status_code == 302
    org.refresh_from_db()
    assert org.name == "新名称有限公司"
    assert list(org.technical_fields.all()) == [bio]
    assert TimelineEvent.objects.filter(object_id=org.pk, action__endswith=".edit").exists()

"""Operational and API-level checks: health endpoint, deploy checks, OpenAPI
schema, token auth, API/HTML scoping, sign-up validation and login lockout."""
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as dj_settings
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from ipcenter.accounts.models import Organization, Station, User
from tests import factories
from tests.conftest import login

BASE_DIR = Path(__file__).resolve().parents[2]


# --- (1) /healthz -----------------------------------------------------------

@pytest.mark.django_db
def test_healthz_ok_with_database_redis_and_broker(client, settings):
    if not dj_settings.REDIS_URL:
        pytest.skip("needs REDIS_URL")
    settings.CELERY_TASK_ALWAYS_EAGER = False  # really probe the broker
    resp = client.get("/healthz")
    assert resp.status_code == 200, resp.content
    assert resp["Content-Type"].startswith("application/json")
    data = resp.json()
    assert data["status"] == "ok"
    assert data["checks"]["database"]["status"] == "ok"
    assert data["checks"]["redis"]["status"] == "ok"
    assert data["checks"]["broker"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_redis_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp["Content-Type"].startswith("application/json")
    data = resp.json()
    assert data["status"] == "error"
    assert data["checks"]["redis"]["status"] == "error"
    assert data["checks"]["redis"]["error"]
    assert data["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_503_when_broker_unreachable(client, settings, monkeypatch):
    from ipcenter.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setattr(app.conf, "broker_write_url", None, raising=False)
    resp = client.get("/healthz")
    assert resp.status_code == 503
    data = resp.json()
    assert data["checks"]["broker"]["status"] == "error"


# --- (2)/(3) management commands in a subprocess ----------------------------

def _db_url():
    s = connection.settings_dict
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    user = s.get("USER") or "postgres"
    pw = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{user}{pw}@{host}:{port}/{s['NAME']}"


def _run_manage(args, extra_env):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(extra_env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=240)


@pytest.mark.django_db
def test_check_deploy_passes_with_production_env():
    if connection.vendor != "postgresql":
        pytest.skip("production check runs against PostgreSQL")
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "ipc.example.org",
        "DATABASE_URL": _db_url(),
        "HTTPS": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
        "SILENCED_SYSTEM_CHECKS": "",
    }
    proc = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # and the same command really fails on an insecure configuration
    env_bad = dict(env, SECRET_KEY="short", SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0")
    bad = _run_manage(["check", "--deploy", "--fail-level", "WARNING"], env_bad)
    assert bad.returncode != 0


def test_spectacular_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    proc = _run_manage(["spectacular", "--validate", "--fail-on-warn", "--file", str(out)], {})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = out.read_text(encoding="utf-8")
    assert "openapi:" in text
    assert "/api/v1/organizations/" in text
    assert "/api/v1/auth/token/" in text


@pytest.mark.django_db
def test_schema_and_docs_served_without_external_assets(client, applicant_user):
    login(client, applicant_user)
    resp = client.get("/api/schema/")
    assert resp.status_code == 200
    assert b"/api/v1/organizations/" in resp.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert refs, "docs page should load its assets"
    external = [r for r in refs if re.match(r"^(https?:)?//", r)]
    assert external == []
    # no external URL hidden in inline JS either (e.g. swagger bundle from a CDN)
    assert not re.search(r"""["'](https?:)?//[a-z0-9.-]+\.[a-z]{2,}/[^"']*\.(js|css)""", html, re.I)


# --- (4) API auth, pagination and scoping ------------------------------------

@pytest.mark.django_db
def test_token_auth_and_paginated_organizations(applicant_user, org):
    api = APIClient()
    bad = api.post("/api/v1/auth/token/", {"username": applicant_user.username, "password": "wrong"},
                   format="json")
    assert bad.status_code == 400
    resp = api.post("/api/v1/auth/token/", {"username": applicant_user.username,
                                            "password": factories.PASSWORD}, format="json")
    assert resp.status_code == 200, resp.content
    token = resp.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == applicant_user.username
    lst = api.get("/api/v1/organizations/")
    assert lst.status_code == 200
    data = lst.json()
    assert {"count", "next", "previous", "results"} <= set(data)
    assert [o["id"] for o in data["results"]] == [org.pk]


@pytest.mark.django_db
def test_organizations_api_paginates_for_manager(manager_user):
    factories.OrganizationFactory.create_batch(3)
    api = APIClient()
    api.force_authenticate(manager_user)
    resp = api.get("/api/v1/organizations/", {"page_size": 2})
    assert resp.status_code == 200
    data = resp.json()
    assert data["count"] >= 3
    assert len(data["results"]) == 2
    assert data["next"]


@pytest.mark.django_db
def test_other_org_is_404_via_api_and_html(client, applicant_user, org, other_org):
    api = APIClient()
    api.force_authenticate(applicant_user)
    assert api.get(f"/api/v1/organizations/{org.pk}/").status_code == 200
    assert api.get(f"/api/v1/organizations/{other_org.pk}/").status_code == 404
    login(client, applicant_user)
    own = client.get(reverse("accounts:organization-detail", args=[org.pk]))
    assert own.status_code == 200
    other = client.get(reverse("accounts:organization-detail", args=[other_org.pk]))
    assert other.status_code == 404
    assert other_org.name not in other.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/organizations/", "/api/v1/me/", "/api/v1/stations/",
                                 "/api/v1/notifications/"])
def test_anonymous_api_refused(url, org):
    resp = APIClient().get(url)
    assert resp.status_code in (401, 403)
    assert b"results" not in resp.content


@pytest.mark.django_db
def test_bad_token_refused(org):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token deadbeef")
    assert api.get("/api/v1/organizations/").status_code in (401, 403)


# --- (5) sign-up ---------------------------------------------------------------

def _signup_data(**over):
    data = {
        "org_name": "新注册科技有限公司",
        "uscc": factories.make_uscc(987654),
        "kind": Organization.Kind.COMPANY,
        "league": Station.objects.leagues().first().pk,
        "address": "呼和浩特市新城区",
        "display_name": "张三",
        "phone": "13800138000",
        "email": "zhangsan@example.test",
        "username": "newapplicant",
        "password1": "Strong-Pass-2026!",
        "password2": "Strong-Pass-2026!",
    }
    data.update(over)
    return data


@pytest.mark.django_db
def test_signup_rejects_bad_uscc_and_password_mismatch(client):
    orgs, users = Organization.objects.count(), User.objects.count()
    resp = client.post(reverse("accounts:signup"),
                       _signup_data(uscc="911501001234567890", password2="Other-Pass-2026!"))
    assert resp.status_code == 200
    form = resp.context["form"]
    assert "uscc" in form.errors
    assert "password2" in form.errors
    assert "两次输入的密码不一致" in form.errors["password2"][0]
    assert re.search(r"[\u4e00-\u9fff]", form.errors["uscc"][0])
    assert "两次输入的密码不一致" in resp.content.decode()
    assert Organization.objects.count() == orgs
    assert User.objects.count() == users
    assert not User.objects.filter(username="newapplicant").exists()


@pytest.mark.django_db
def test_signup_rejects_bad_phone_and_duplicate_uscc(client, org):
    orgs = Organization.objects.count()
    resp = client.post(reverse("accounts:signup"), _signup_data(uscc=org.uscc, phone="12345"))
    assert resp.status_code == 200
    errors = resp.context["form"].errors
    assert "已注册" in errors["uscc"][0]
    assert "手机号" in errors["phone"][0]
    assert Organization.objects.count() == orgs


@pytest.mark.django_db
def test_good_signup_creates_pending_org_and_user(client):
    resp = client.post(reverse("accounts:signup"), _signup_data())
    assert resp.status_code == 302
    user = User.objects.get(username="newapplicant")
    assert user.check_password("Strong-Pass-2026!")
    assert user.organization.name == "新注册科技有限公司"
    assert user.organization.status == Organization.Status.PENDING
    assert user.organization.uscc == factories.make_uscc(987654)
    assert int(client.session["_auth_user_id"]) == user.pk


# --- (6) login lockout (axes) ----------------------------------------------------

@pytest.mark.django_db
def test_login_locked_after_five_failures(client, applicant_user):
    from axes.utils import reset

    reset()
    url = reverse("accounts:login")
    statuses = []
    for _ in range(5):
        r = client.post(url, {"username": applicant_user.username, "password": "wrong-pass"},
                        REMOTE_ADDR="10.9.8.7")
        statuses.append(r.status_code)
    assert statuses[0] == 200
    assert "用户名或密码不正确" in client.post(
        url, {"username": "nobody-here", "password": "x"}, REMOTE_ADDR="10.9.8.7").content.decode()
    # even the correct password is refused now
    locked = client.post(url, {"username": applicant_user.username, "password": factories.PASSWORD},
                         REMOTE_ADDR="10.9.8.7")
    assert locked.status_code in (403, 429)
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    reset()
    ok = client.post(url, {"username": applicant_user.username, "password": factories.PASSWORD},
                     REMOTE_ADDR="10.9.8.7")
    assert ok.status_code == 302

"""Operations: /healthz, check --deploy with production env, OpenAPI schema, API auth/pagination/scoping."""
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db
MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def test_healthz_ok_with_services_up(client, settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL not set")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    from ipcenter.celery import app
    app.conf.broker_url = settings.REDIS_URL
    r = client.get("/healthz")
    data = r.json()
    assert r.status_code == 200, data
    assert data["status"] == "ok"
    assert data["checks"]["database"]["status"] == "ok"
    assert data["checks"]["redis"]["status"] == "ok"
    assert data["checks"]["broker"]["status"] == "ok"


def test_healthz_503_without_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    r = client.get("/healthz")
    assert r.status_code == 503
    data = r.json()
    assert data["status"] == "error"
    assert data["checks"]["redis"]["status"] == "error"
    assert data["checks"]["database"]["status"] == "ok"


def _run(args, **env):
    full = dict(os.environ, **env)
    return subprocess.run(MANAGE + args, env=full, cwd=settings.BASE_DIR, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_clean_with_production_env():
    r = _run(["check", "--deploy", "--fail-level", "WARNING"], DEBUG="0", SECRET_KEY=secrets.token_urlsafe(60),
             ALLOWED_HOSTS="ipc.example.org", HTTPS="1", SECURE_SSL_REDIRECT="1", SECURE_HSTS_SECONDS="31536000",
             SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_openapi_schema_validates_without_warnings(tmp_path):
    r = _run(["spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "/api/v1/organizations/" in (tmp_path / "schema.yml").read_text()


def test_schema_endpoint_and_docs_use_local_assets_only(client, manager_user):
    login(client, manager_user)
    assert client.get("/api/schema/").status_code == 200
    html = client.get("/api/docs/").content.decode()
    srcs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert srcs
    assert not [s for s in srcs if re.match(r"(https?:)?//", s)], srcs


def test_token_auth_pagination_and_scoping(client, org, other_org):
    user = factories.applicant(org)
    assert client.get("/api/v1/organizations/").status_code in (401, 403)
    r = client.post("/api/v1/auth/token/", {"username": user.username, "password": factories.PASSWORD})
    assert r.status_code == 200, r.content
    token = r.json()["token"]
    assert Token.objects.get(user=user).key == token
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    r = client.get("/api/v1/organizations/", **auth)
    assert r.status_code == 200
    body = r.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert [o["id"] for o in body["results"]] == [org.pk]
    assert client.get(f"/api/v1/organizations/{org.pk}/", **auth).status_code == 200
    assert client.get(f"/api/v1/organizations/{other_org.pk}/", **auth).status_code == 404
    assert client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token wrong").status_code in (401, 403)
    assert client.get("/api/v1/me/", **auth).json()["username"] == user.username


def test_pagination_pages(client, manager_user):
    for _ in range(3):
        factories.OrganizationFactory()
    login(client, manager_user)
    r = client.get("/api/v1/organizations/?page_size=2").json()
    assert r["count"] >= 3 and len(r["results"]) == 2 and r["next"]
    r2 = client.get(r["next"]).json()
    assert r2["results"] and {o["id"] for o in r2["results"]}.isdisjoint({o["id"] for o in r["results"]})

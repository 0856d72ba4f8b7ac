"""The API docs page works under the Content-Security-Policy: every script is a same-origin
file (no inline script, no CDN), and Swagger UI really renders in a browser."""
import re

import pytest
from django.urls import reverse


pytestmark = pytest.mark.django_db


def _scripts(html):
    return re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S)


def test_the_docs_page_has_only_same_origin_script_files(client):
    resp = client.get(reverse("api-docs"))
    assert resp.status_code == 200
    csp = resp["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    scripts = _scripts(resp.content.decode())
    assert len(scripts) >= 3
    for attrs, body in scripts:
        src = re.search(r'src="([^"]+)"', attrs)
        assert src, f"inline script: {body[:80]}"
        assert src.group(1).startswith("/") and not src.group(1).startswith("//")
        assert not body.strip()
    init = [re.search(r'src="([^"]+)"', a).group(1) for a, _ in scripts][-1].replace("&amp;", "&")
    js = client.get(init)
    assert js.status_code == 200 and "javascript" in js["Content-Type"]
    assert "SwaggerUIBundle" in js.content.decode()
    for attrs, _ in scripts[:-1]:
        asset = re.search(r'src="([^"]+)"', attrs).group(1)
        assert asset.startswith("/static/")


@pytest.mark.e2e
def test_swagger_ui_renders_under_the_policy(live_server, page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "ipcenter API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() > 10  # the operations are listed
    page.screenshot(path="/tmp/api-docs.png")
    assert not violations, violations


def test_redoc_page_names_no_external_url(client):
    """ReDoc runs offline under the policy: no Google Fonts (or any other host), scripts are files."""
    resp = client.get(reverse("api-redoc"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "<redoc" in html
    assert not re.search(r"""(?:href|src)=["']?(?:https?:)?//""", html), html
    assert "googleapis" not in html and "gstatic" not in html
    scripts = _scripts(html)
    assert scripts and all(re.search(r'src="/static/', attrs) and not body.strip() for attrs, body in scripts)


@pytest.mark.e2e
def test_redoc_renders_under_the_policy_without_network(live_server, page):
    """ReDoc's bundle names one external image (its own logo); the policy blocks it, so nothing
    leaves the browser, and no font or style is refused."""
    external, blocked, violations = [], [], []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(live_server.url) else None)
    page.on("requestfailed", lambda req: blocked.append(req.url) if req.failure == "csp" else None)
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/api/redoc/")
    page.wait_for_selector("h1", timeout=30000)
    assert "ipcenter API" in page.inner_text("h1")
    page.wait_for_timeout(500)
    page.screenshot(path="/tmp/api-redoc.png")
    assert not [u for u in external if u not in blocked], (external, blocked)
    assert not [u for u in external if "font" in u], external
    assert not [v for v in violations if "font-src" in v or "style-src" in v], violations

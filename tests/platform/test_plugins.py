"""The app registry: apps plug in through their own AppConfig, and the core names no app."""
import ast
import pathlib

from django.conf import settings
from django.urls import reverse

from ipcenter.plugins import PortalAppConfig, portal_apps, registry, select

ROOT = pathlib.Path(settings.BASE_DIR)
AREA_APPS = ("prescreen", "rightsaid", "navigation", "outreach")


def test_no_module_of_the_core_imports_an_area_app():
    offenders = []
    for path in (ROOT / "ipcenter").rglob("*.py"):
        if "/migrations/" in path.as_posix():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            names += [node.value for node in [node] if isinstance(node, ast.Constant) and isinstance(node.value, str)
                      and node.value.split(".")[0] in AREA_APPS and node.value.count(".") >= 1
                      and node.value.endswith((".urls", ".api.urls"))]
            offenders += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names
                          if n.split(".")[0] in AREA_APPS]
    assert offenders == []


def test_every_area_app_plugs_in_through_its_app_config():
    labels = {c.name for c in portal_apps()}
    assert {"prescreen", "prescreen.quality", "rightsaid", "rightsaid.mediation", "navigation", "outreach"} <= labels
    reg = registry()
    prefixes = dict(reg.urls)
    assert prefixes["prescreen/"] == "prescreen.urls" and prefixes["rightsaid/mediation/"] == "rightsaid.mediation.urls"
    assert [p for p, _ in reg.urls].index("rightsaid/mediation/") < [p for p, _ in reg.urls].index("rightsaid/")
    assert reverse("navigation:index").startswith("/navigation/")
    assert reverse("outreach:index").startswith("/outreach/")
    names = [m.url_name for m in reg.menu]
    assert names[0] == "home" and "navigation:index" in names and "outreach:index" in names


def test_apps_beat_entries_join_the_celery_schedule():
    from ipcenter.celery import app

    schedule = app.conf.beat_schedule
    assert "deadline-sweep" in schedule and "prescreen-risk-review" in schedule
    assert "quality-monthly-samples" in schedule
    assert "prescreen-expired-corrections" not in schedule  # now an expiry handler of the sweep


def test_long_jobs_are_routed_to_their_own_queue_with_time_limits():
    from ipcenter.celery import app

    route = app.conf.task_routes["ipcenter.reports.tasks.run_report_job"]
    assert route["queue"] == settings.CELERY_LONG_QUEUE
    limits = app.conf.task_annotations["ipcenter.reports.tasks.run_report_job"]
    assert limits["soft_time_limit"] < limits["time_limit"]


def test_the_menu_shows_each_role_its_areas(db):
    from ipcenter.context_processors import navigation_for
    from tests import factories

    analyst = factories.staff("navigation_analyst")
    assert "navigation:index" in {i["name"] for i in navigation_for(analyst)}
    assert "prescreen:index" not in {i["name"] for i in navigation_for(analyst)}


def test_a_selector_nobody_provides_gives_the_default():
    assert select("nobody.provides.this", 1, default="fallback") == "fallback"


def test_the_base_class_is_not_picked_as_an_apps_config():
    assert PortalAppConfig.default is False
    assert all(type(c).default is True for c in portal_apps() if type(c) is not PortalAppConfig)


def test_anonymous_visitors_of_the_root_see_the_public_home(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == reverse("outreach:public-home")
    assert client.get(response["Location"]).status_code == 200

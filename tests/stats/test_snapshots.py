"""Figures served from snapshots: the stored data equal the live computation, a stale snapshot
is served while exactly one recompute is queued, a missing one is computed in the background
while the page polls, a warm page reads no service table, access is checked before any lookup,
and snapshots are kept per language."""
import datetime as dt
import decimal
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from ipcenter.accounts import roles
from ipcenter.stats import snapshots
from ipcenter.stats.figures import Figure, Period, Section, Series, Table
from ipcenter.stats.models import FigureSnapshot
from ipcenter.stats.selection import resolve_scope, sections
from ipcenter.stats.snapshots import decode, encode, figures_for, period_key
from tests import factories
from tests.conftest import login

from .test_figures import RANGE, assistance, cases, holidays_2027  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SERVICE_TABLES = ("prescreen_", "quality_", "rightsaid_", "mediation_", "navigation_", "outreach_",
                  "accounts_organization")


@pytest.fixture
def queued(monkeypatch):
    """Recomputes are recorded instead of run (as with a real worker that has not started yet)."""
    from ipcenter.stats import tasks

    calls = []
    lock = threading.Lock()

    def record(args=(), **kwargs):
        with lock:
            calls.append(args[0])
    monkeypatch.setattr(tasks.refresh_snapshot_task, "apply_async", record)
    monkeypatch.setattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    return calls


def run_queued(calls):
    from ipcenter.stats.tasks import refresh_snapshot_task

    while calls:
        refresh_snapshot_task.run(calls.pop(0))


def age(days=0, seconds=0):
    FigureSnapshot.objects.update(computed_at=timezone.now() - dt.timedelta(days=days, seconds=seconds))


# --- the encoder/decoder ---------------------------------------------------------------------

def test_encoder_round_trips_every_value_a_provider_returns_through_the_database(db):
    tz = timezone.get_current_timezone()
    section = Section(
        figures=[Figure("n", "件数", 3, "件"), Figure("amount", "金额", decimal.Decimal("125.50")),
                 Figure("day", "日期", dt.date(2026, 2, 28)), Figure("rate", "比例", 80.0, "%"),
                 Figure("none", "空", None), Figure("nan", "非数", float("nan"))],
        tables=[Table("t", "表", ["甲", "乙"], [["a", dt.datetime(2026, 3, 1, 9, 30, tzinfo=tz)],
                                               ["b", dt.timedelta(days=2, seconds=5)]])],
        series=[Series("s", "图", "bar", [("一月", 1), ("二月", 2.5)])],
        code="x", title="标题", definitions={"n": "定义", 3: "整数键"})
    row = FigureSnapshot.objects.create(scope_key="centre", period_key="k", period_start=dt.date(2026, 1, 1),
                                        period_end=dt.date(2026, 1, 31), language="zh-hans", data=encode([section]))
    back = decode(FigureSnapshot.objects.get(pk=row.pk).data)[0]
    nan = back.figures.pop()
    section.figures.pop()
    assert back == section and nan.value != nan.value  # NaN stays NaN
    assert type(back.figures[1].value) is decimal.Decimal and type(back.figures[2].value) is dt.date
    assert back.series[0].points[0] == ("一月", 1) and list(back.definitions) == ["n", 3]
    with pytest.raises(TypeError):
        encode(object())


# --- snapshot == live ---------------------------------------------------------------------------

@pytest.mark.parametrize("params", [RANGE, {**RANGE, "station": "baotou"},
                                    {"period": "month", "year": "2026", "month": "11"}])
def test_snapshot_data_equal_the_live_computation(cases, assistance, manager_user, params):  # noqa: F811
    scope = resolve_scope(manager_user, params)
    served = figures_for(scope, compare=True)  # eager: computed inline, then read from the rows
    assert served.ready and FigureSnapshot.objects.filter(data__isnull=False).count() == 3
    live = sections(scope, compare=True)
    assert [s.code for s in served.sections] == [s.code for s in live]
    for ours, theirs in zip(served.sections, live):
        assert ours.as_dict() == theirs.as_dict(), ours.code
    assert any(f.value for s in served.sections for f in s.figures)  # the fixture is not empty


def test_exports_compute_a_missing_snapshot_in_the_worker(cases, manager_user, queued):  # noqa: F811
    scope = resolve_scope(manager_user, RANGE)
    result = figures_for(scope, compare=True, compute_missing=True)
    assert result.ready and queued == []  # computed here, nothing queued
    assert result.sections[0].value("cases_received") == 6


# --- stale, missing, exactly one recompute --------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_a_stale_snapshot_is_served_and_two_simultaneous_views_queue_one_recompute(queued):
    manager = factories.manager()
    scope = resolve_scope(manager, RANGE)
    snapshots.refresh(snapshots._rows_for(scope, [scope.period], "zh-hans", timezone.localdate())[1][
        period_key(scope.period)])
    age(seconds=settings.STATS_MAX_AGE + 5)
    barrier, results, errors = threading.Barrier(2, timeout=20), [], []

    def view():
        from django.db import connections

        try:
            with translation.override("zh-hans"):
                barrier.wait()
                results.append(figures_for(scope))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
            barrier.abort()
        finally:
            connections.close_all()
    threads = [threading.Thread(target=view) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and len(results) == 2
    assert len(queued) == 1  # one recompute for two views
    assert all(r.ready and r.pending for r in results)  # both served the stale figures at once
    with translation.override("zh-hans"):
        assert figures_for(scope).ready and len(queued) == 1  # a later view queues nothing more
    run_queued(queued)
    with translation.override("zh-hans"):
        fresh = figures_for(scope)
    assert not fresh.pending and fresh.computed_at > timezone.now() - dt.timedelta(seconds=30)


def test_a_lost_recompute_is_queued_again_after_the_timeout(manager_user, queued):
    scope = resolve_scope(manager_user, RANGE)
    figures_for(scope)
    assert len(queued) == 1 and not figures_for(scope).ready and len(queued) == 1
    FigureSnapshot.objects.update(queued_at=timezone.now() - dt.timedelta(seconds=settings.STATS_REQUEUE_AFTER + 1))
    figures_for(scope)
    assert len(queued) == 2


def test_without_a_snapshot_the_page_says_computing_and_polls_until_it_exists(client, cases, manager_user,  # noqa: F811
                                                                              queued):
    login(client, manager_user)
    page = client.get(reverse("stats:dashboard"), RANGE)
    html = page.content.decode()
    assert page.status_code == 200 and "正在计算统计数据…" in html and 'hx-trigger="load delay:3s"' in html
    assert 'data-figure="prescreen.cases_received"' not in html
    assert len(queued) == 3  # the period and its two comparison periods, once each
    poll = client.get(reverse("stats:dashboard"), RANGE, HTTP_HX_REQUEST="true")
    assert "正在计算统计数据…" in poll.content.decode() and "<html" not in poll.content.decode()
    assert len(queued) == 3  # polling queues nothing more
    api = client.get("/api/v1/stats/", RANGE)
    assert api.status_code == 202 and api["Retry-After"] == "5" and api.json()["status"] == "computing"
    run_queued(queued)
    poll = client.get(reverse("stats:dashboard"), RANGE, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-figure="prescreen.cases_received"' in poll and "hx-trigger" not in poll
    assert "数据更新于" in poll and "立即刷新" in poll
    api = client.get("/api/v1/stats/", {**RANGE, "compare": "1"})
    assert api.status_code == 200 and api.json()["computed_at"]


def test_since_opening_snapshot_of_yesterday_is_stale_today(manager_user, queued):
    scope = resolve_scope(manager_user, {"period": "opening"})
    row = snapshots._rows_for(scope, [scope.period], "zh-hans", timezone.localdate())[1][period_key(scope.period)]
    snapshots.refresh(row)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    FigureSnapshot.objects.update(period_end=yesterday)
    result = figures_for(scope)
    assert result.ready and result.pending and len(queued) == 1
    run_queued(queued)
    assert FigureSnapshot.objects.get().period_end == timezone.localdate()


# --- the cost of a warm page -----------------------------------------------------------------------

def test_a_warm_dashboard_reads_no_service_table_and_costs_the_same_with_more_data(client, cases, assistance,  # noqa: F811
                                                                                   manager_user, org):
    login(client, manager_user)
    client.get(reverse("stats:dashboard"), RANGE)  # eager: computes the snapshots
    with CaptureQueriesContext(connection) as first:
        page = client.get(reverse("stats:dashboard"), RANGE)
    assert 'data-figure="prescreen.cases_received"' in page.content.decode()
    read = [q["sql"] for q in first.captured_queries if any(t in q["sql"] for t in SERVICE_TABLES)]
    assert read == []
    assert any("stats_figuresnapshot" in q["sql"] for q in first.captured_queries)
    from prescreen.models import PreExamCase

    moment = dt.datetime(2026, 11, 9, 10, tzinfo=timezone.get_current_timezone())
    template = PreExamCase.objects.filter(organization=org).first()
    PreExamCase.objects.bulk_create([
        PreExamCase(title=f"追加{i}", organization=org, filed_by=template.filed_by, technical_field=template.technical_field,
                    applicants="甲", inventors="乙", state="qualified", submitted_at=moment, accepted_at=moment,
                    concluded_at=moment + dt.timedelta(days=3)) for i in range(50)])
    for row in FigureSnapshot.objects.select_related("station"):
        snapshots.refresh(row)
    with CaptureQueriesContext(connection) as second:
        more = client.get(reverse("stats:dashboard"), RANGE)
    assert len(second.captured_queries) == len(first.captured_queries)
    assert ">56<" in more.content.decode().split('data-figure="prescreen.cases_received"')[1][:200]


# --- access -------------------------------------------------------------------------------------

def test_access_is_checked_before_any_snapshot_is_looked_up(client, cases, queued):  # noqa: F811
    staff = factories.staff(roles.STATION_STAFF, "baotou")
    login(client, staff)
    with CaptureQueriesContext(connection) as refused:
        assert client.get(reverse("stats:dashboard"), {**RANGE, "station": "hohhot"}).status_code == 403
        assert client.get("/api/v1/stats/", {**RANGE, "station": "nowhere"}).status_code == 404
        assert client.post(reverse("stats:refresh"), {**RANGE, "station": "hohhot"}).status_code == 403
    assert not any("stats_figuresnapshot" in q["sql"] for q in refused.captured_queries)
    assert not FigureSnapshot.objects.exists() and queued == []
    # their own subtree: a snapshot of the league, never the centre's
    client.get(reverse("stats:dashboard"), RANGE)
    assert set(FigureSnapshot.objects.values_list("scope_key", flat=True)) == {
        f"station:{factories.station('baotou').pk}"}
    run_queued(queued)
    centre = resolve_scope(factories.manager(), RANGE)
    figures_for(centre)
    run_queued(queued)
    visible = FigureSnapshot.objects.visible_to(staff)
    assert visible.count() == 3 and not visible.filter(scope_key="centre").exists()
    pre = next(s for s in figures_for(resolve_scope(staff, RANGE)).sections if s.code == "prescreen")
    assert pre.value("cases_received") == 1  # the Baotou case only


def test_snapshots_are_kept_per_language_and_an_english_viewer_gets_english_labels(client, cases,  # noqa: F811
                                                                                   manager_user):
    from django.utils.translation import trans_real

    catalog = trans_real.translation("en")._catalog
    added = {"专利预审": "Patent pre-examination", "收到预审申请": "Pre-exam applications received"}
    saved = {k: catalog.get(k) for k in added}
    for k, v in added.items():
        catalog[k] = v
    try:
        login(client, manager_user)
        zh = client.get(reverse("stats:dashboard"), RANGE).content.decode()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        en = client.get(reverse("stats:dashboard"), RANGE).content.decode()
        data = client.get("/api/v1/stats/prescreen/", RANGE).json()
    finally:
        for k, v in saved.items():
            if v is None:
                catalog._catalogs[0].pop(k, None)
            else:
                catalog[k] = v
    assert "收到预审申请" in zh and "Pre-exam applications received" not in zh
    assert "Pre-exam applications received" in en and "Patent pre-examination" in en
    assert {f["code"]: f["label"] for f in data["figures"]}["cases_received"] == "Pre-exam applications received"
    assert set(FigureSnapshot.objects.values_list("language", flat=True)) == {"zh-hans", "en"}


# --- refresh button and beat ------------------------------------------------------------------------

def test_refresh_button_queues_one_recompute_and_is_rate_limited(client, manager_user, queued):
    from django.core.cache import cache

    login(client, manager_user)
    scope = resolve_scope(manager_user, RANGE)
    figures_for(scope, compare=True)
    run_queued(queued)
    age(seconds=settings.STATS_REFRESH_MIN_INTERVAL + 1)
    cache.delete(f"stats:refresh:{manager_user.pk}")
    resp = client.post(reverse("stats:refresh"), RANGE, follow=True)
    assert resp.status_code == 200 and "已开始重新计算统计数据" in resp.content.decode() and len(queued) == 3
    assert "数据更新于" in resp.content.decode()
    resp = client.post(reverse("stats:refresh"), RANGE, follow=True)  # at once again: the user limit
    assert "刷新太频繁" in resp.content.decode() and len(queued) == 3
    cache.delete(f"stats:refresh:{manager_user.pk}")
    resp = client.post(reverse("stats:refresh"), RANGE, follow=True)  # queued already
    assert "刚刚更新过或正在计算" in resp.content.decode() and len(queued) == 3
    run_queued(queued)  # just computed: inside the minimum interval, nothing is queued
    cache.delete(f"stats:refresh:{manager_user.pk}")
    client.post(reverse("stats:refresh"), RANGE)
    assert queued == []
    assert client.get(reverse("stats:refresh")).status_code == 405


def test_beat_keeps_the_centre_and_each_league_warm(db, queued):
    from ipcenter.accounts.models import Station

    today = timezone.localdate()
    periods = snapshots.warm_periods(today)
    assert Period.month(today.year, today.month) in periods and Period.since_opening(today) in periods
    assert Period.year(today.year - 1) in periods and Period.month(today.year, today.month).previous() in periods
    expected = (1 + Station.objects.leagues().count()) * len(periods) * len(settings.STATS_WARM_LANGUAGES)
    assert snapshots.warm() == expected and len(queued) == expected
    assert snapshots.warm() == 0  # all queued already
    FigureSnapshot.objects.update(queued_at=None, data=[], computed_at=timezone.now())
    assert snapshots.warm() == 0  # fresh until the next run
    age(seconds=settings.STATS_MAX_AGE)
    open_periods = [p for p in periods if p.end >= today]  # this month/quarter/year, since opening
    assert len(open_periods) == 4
    per_period = (1 + Station.objects.leagues().count()) * len(settings.STATS_WARM_LANGUAGES)
    assert snapshots.warm() == per_period * len(open_periods)  # closed periods are not recomputed as often
    FigureSnapshot.objects.update(queued_at=None, computed_at=timezone.now())
    age(seconds=settings.STATS_CLOSED_MAX_AGE)
    assert snapshots.warm() == expected
    age(days=8)
    snapshots.warm()
    assert not FigureSnapshot.objects.exists()  # nobody computed them for a week: dropped
    from ipcenter.plugins import registry

    assert registry().beat["stats-warm-snapshots"]["task"] == "ipcenter.stats.tasks.warm_snapshots"

"""Benchmark of the statistics (``make bench``): the pre-exam cases of ``bench_data`` (COPY)
plus ``BENCH_CONSULTATIONS`` consultations and assistance cases (``generate_services``, COPY,
default 300 000 each; with the default 100 000 cases that is 700 000 rows —
``BENCH_CASES=400000`` makes it 1 000 000).

Prints, per selector, the median time of the registered provider against the hand-written
SQL aggregates computing the same figures (target ≤ 2×), the cold computation of the
year's figure snapshots, the warm dashboard page (target ≤ 1 s), the one-year PDF and work
report read from warm snapshots (target < 3 s) and the worker time of one beat warm-up
round — PASS/FAIL printed, never asserted.
Asserted, because it is correctness: the provider and the SQL give the same numbers."""
import datetime as dt
import os
import statistics
import time

import pytest
from django.db import connection
from django.test import Client

from ipcenter.accounts.models import User
from ipcenter.stats.figures import compute
from ipcenter.stats.selection import resolve_scope

pytestmark = pytest.mark.django_db

N = 5
PARAMS = {"period": "opening"}
YEAR = {"period": "year", "year": "2026"}


@pytest.fixture(scope="session")
def stats_rows(bench_data, django_db_blocker):
    from .generate import generate_services

    n = int(os.environ.get("BENCH_CONSULTATIONS", 300_000))
    with django_db_blocker.unblock():
        made = generate_services(n, n)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = bench_data.get("cases", 0) + made["consultations"] + made["assistance_cases"]
    print(f"\nstats bench: {bench_data.get('cases', '?')} pre-exam cases + {n} consultations + {n} assistance cases "
          f"= {total:,} rows")
    return {"rows": total, "manager": bench_data["manager"]}


def _median(func, n=N, cpu=False):
    """Median wall time of ``n`` calls after a warm-up (with ``cpu``: also the median CPU time
    of this process — the machine is shared, and CPU time shows the Python share unqueued)."""
    func()
    times, cpus = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return (statistics.median(times), statistics.median(cpus)) if cpu else statistics.median(times)


def _sql(query, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def _hand_prescreen(lo, hi):
    """The pre-exam figures as hand-written SQL: one aggregate over the cases, the entities,
    the distinct (accepted, concluded) date pairs, the breakdowns."""
    counts = _sql("""SELECT count(*) FILTER (WHERE submitted_at >= %s AND submitted_at < %s),
                            count(*) FILTER (WHERE accepted_at >= %s AND accepted_at < %s),
                            count(*) FILTER (WHERE submitted_at >= %s AND submitted_at < %s AND state = 'refused')
                     FROM prescreen_preexamcase WHERE state <> 'draft'""", [lo, hi] * 3)[0]
    _sql("""SELECT count(*) FILTER (WHERE state='registered'), count(*) FILTER (WHERE state='suspended')
            FROM prescreen_registration""")
    _sql("""SELECT (accepted_at AT TIME ZONE 'Asia/Shanghai')::date, (concluded_at AT TIME ZONE 'Asia/Shanghai')::date,
                   count(*) FROM prescreen_preexamcase
            WHERE state IN ('qualified','unqualified') AND concluded_at >= %s AND concluded_at < %s
              AND accepted_at IS NOT NULL GROUP BY 1, 2""", [lo, hi])
    _sql("""SELECT count(*), count(*) FILTER (WHERE state='qualified'), avg(correction_rounds)
            FROM prescreen_preexamcase WHERE state IN ('qualified','unqualified') AND concluded_at >= %s
              AND concluded_at < %s""", [lo, hi])
    _sql("""SELECT avg(cnipa_outcome_date - (accepted_at AT TIME ZONE 'Asia/Shanghai')::date)
            FROM prescreen_preexamcase WHERE cnipa_outcome='grant' AND accepted_at IS NOT NULL""")
    for key in ("state", "technical_field_id", "organization_id"):
        _sql(f"""SELECT {key}, count(*) FROM prescreen_preexamcase WHERE state <> 'draft' AND submitted_at >= %s
                 AND submitted_at < %s GROUP BY 1""", [lo, hi])
    _sql("""SELECT o.league_id, count(*) FROM prescreen_preexamcase c JOIN accounts_organization o
            ON o.id = c.organization_id WHERE c.state <> 'draft' AND c.submitted_at >= %s AND c.submitted_at < %s
            GROUP BY 1""", [lo, hi])
    # the quota: last year's qualified/decided/granted per registered entity, this year's use
    year = (hi - dt.timedelta(days=1)).year
    jan1 = [dt.datetime(y, 1, 1, tzinfo=hi.tzinfo) for y in (year - 1, year, year + 1)]
    _sql("""SELECT organization_id, count(*), count(*) FILTER (WHERE cnipa_outcome <> ''),
                   count(*) FILTER (WHERE cnipa_outcome = 'grant') FROM prescreen_preexamcase
            WHERE state = 'qualified' AND concluded_at >= %s AND concluded_at < %s
              AND organization_id IN (SELECT organization_id FROM prescreen_registration WHERE state = 'registered')
            GROUP BY 1""", jan1[:2])
    _sql("""SELECT count(*) FROM prescreen_preexamcase WHERE state NOT IN ('draft', 'refused')
              AND submitted_at >= %s AND submitted_at < %s
              AND organization_id IN (SELECT organization_id FROM prescreen_registration WHERE state = 'registered')""",
         jan1[1:])
    return counts[0]


def _hand_rightsaid(lo, hi):
    n = _sql("""SELECT count(*), count(*) FILTER (WHERE channel='12330') FROM rightsaid_consultation
                WHERE created_at >= %s AND created_at < %s""", [lo, hi])[0][0]
    _sql("""SELECT count(*), count(*) FILTER (WHERE kind='assistance'), sum(amount_claimed) FROM rightsaid_assistancecase
            WHERE created_at >= %s AND created_at < %s""", [lo, hi])
    for table, key in (("consultation", "channel"), ("consultation", "ip_type"), ("consultation", "topic"),
                       ("assistancecase", "kind"), ("assistancecase", "case_type"), ("assistancecase", "channel"),
                       ("assistancecase", "station_id")):
        _sql(f"SELECT {key}, count(*) FROM rightsaid_{table} WHERE created_at >= %s AND created_at < %s GROUP BY 1",
             [lo, hi])
    return n


def test_selectors_against_hand_written_sql(stats_rows):
    manager = User.objects.get(pk=stats_rows["manager"].pk)
    print()
    for params in (PARAMS, YEAR):
        scope = resolve_scope(manager, params)
        lookup = scope.period.lookup("x")
        lo, hi = lookup["x__gte"], lookup["x__lt"]
        assert compute("prescreen", scope).value("cases_received") == _hand_prescreen(lo, hi)
        assert compute("rightsaid", scope).value("consultations") == _hand_rightsaid(lo, hi)
        print(f"  period {scope.period.label} ({stats_rows['rows']:,} rows)")
        for code, hand in (("prescreen", _hand_prescreen), ("rightsaid", _hand_rightsaid)):
            ours, theirs = _median(lambda: compute(code, scope)), _median(lambda: hand(lo, hi))
            ratio = ours / theirs if theirs else float("inf")
            print(f"    {code:<10} provider {ours * 1000:8.1f} ms   hand SQL {theirs * 1000:8.1f} ms   "
                  f"ratio {ratio:4.2f}  {'PASS' if ratio <= 2 else 'FAIL'} (≤ 2×)")
        for code in ("quality", "mediation", "navigation", "outreach", "network"):
            try:
                t = _median(lambda: compute(code, scope))
            except KeyError:
                continue
            print(f"    {code:<10} provider {t * 1000:8.1f} ms")


def test_dashboard_page_and_reports(stats_rows):
    """The page and the reports read snapshots (``snapshots.figures_for``): the cold
    computation of the year's snapshots (what the worker does) is printed beside the warm
    page, the one-year PDF and the work report that the targets are about."""
    from ipcenter.reports.pdf import render_pdf
    from ipcenter.stats import snapshots
    from ipcenter.stats.models import FigureSnapshot
    from ipcenter.stats.reports import build_statistics_pdf, narrative
    from ipcenter.stats.snapshots import figures_for

    manager = User.objects.get(pk=stats_rows["manager"].pk)
    scope = resolve_scope(manager, YEAR)
    FigureSnapshot.objects.all().delete()
    print()
    t = time.perf_counter()
    figures_for(scope, compare=True, compute_missing=True)  # the worker's job: year 2026 and 2025
    cold = time.perf_counter() - t
    each = ", ".join(f"{r.period_key} {r.compute_seconds:.2f} s"
                     for r in FigureSnapshot.objects.order_by("period_key"))
    print(f"  cold: snapshots of the year and its comparison computed in {cold * 1000:8.1f} ms ({each})")

    client = Client()
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    url = "/stats/?period=year&year=2026"
    assert "数据更新于" in client.get(url).content.decode()
    page, page_cpu = _median(lambda: client.get(url), cpu=True)
    print(f"  warm dashboard (year, with comparison)  {page * 1000:8.1f} ms (CPU here {page_cpu * 1000:6.1f} ms)  "
          f"{'PASS' if page <= 1 else 'FAIL'} (≤ 1 s)")
    pdf, pdf_cpu = _median(lambda: build_statistics_pdf(scope), n=3, cpu=True)
    print(f"  one-year PDF statistics report (warm)   {pdf * 1000:8.1f} ms (CPU here {pdf_cpu * 1000:6.1f} ms)  "
          f"{'PASS' if pdf < 3 else 'FAIL'} (< 3 s)")

    def work_report():
        data = figures_for(scope, compute_missing=True).sections
        render_pdf("stats/work_report_pdf.html", {"scope": scope, "scope_label": "全中心",
                                                   "paragraphs": narrative(scope, data), "definitions": []})
    work, work_cpu = _median(work_report, n=3, cpu=True)
    print(f"  one-year work report (warm)             {work * 1000:8.1f} ms (CPU here {work_cpu * 1000:6.1f} ms)  "
          f"{'PASS' if work < 3 else 'FAIL'} (< 3 s)")
    # what beat keeps warm, computed once: the cost of one warm-up round in the worker
    FigureSnapshot.objects.all().delete()
    assert snapshots.warm() > 0  # eager: computed inline
    rows = list(FigureSnapshot.objects.exclude(compute_seconds=None))
    total = sum(r.compute_seconds for r in rows)
    centre = sum(r.compute_seconds for r in rows if r.scope_key == "centre")
    print(f"  beat warm-up: {len(rows)} snapshots (centre + leagues × {len(snapshots.warm_periods(dt.date.today()))} "
          f"periods) computed in {total:.1f} s of worker time (whole centre {centre:.1f} s)")

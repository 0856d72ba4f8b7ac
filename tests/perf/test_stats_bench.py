"""Benchmark of the statistics (``make bench``): the pre-exam cases of ``bench_data`` (COPY)
plus ``BENCH_CONSULTATIONS`` consultations and assistance cases (COPY, default 300 000 each;
with the default 100 000 cases that is 700 000 rows — ``BENCH_CASES=400000`` brings the
total past 1M).

Prints, per selector, the median time of the registered provider against the hand-written
SQL aggregates computing the same figures (target ≤ 2×), the dashboard page (target ≤ 1 s),
and the one-year PDF and work report (target < 3 s) — PASS/FAIL printed, never asserted.
Asserted, because it is correctness: the provider and the SQL give the same numbers."""
import datetime as dt
import io
import os
import random
import statistics
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from ipcenter.accounts.models import Station, User
from ipcenter.stats.figures import compute
from ipcenter.stats.selection import resolve_scope

pytestmark = pytest.mark.django_db

N = 5
PARAMS = {"period": "opening"}


def _copy(model, columns, rows):
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buf)


@pytest.fixture(scope="session")
def stats_rows(bench_data, django_db_blocker):
    from rightsaid.models import AssistanceCase, Consultation

    n = int(os.environ.get("BENCH_CONSULTATIONS", 300_000))
    rnd = random.Random(15)
    with django_db_blocker.unblock(), transaction.atomic():
        stations = list(Station.objects.exclude(kind="centre").values_list("pk", flat=True))
        start = dt.datetime(2022, 9, 28, tzinfo=dt.timezone.utc)
        span = 4 * 365 * 86400
        channels = ["12330", "walk_in", "phone", "online", "referral"]
        began = time.monotonic()
        _copy(Consultation, ["channel", "topic", "ip_type", "requester_name", "requester_contact", "requester_org_name",
                             "question", "answer", "duration_minutes", "station_id", "created_at"],
              ((rnd.choice(channels), "专利侵权咨询", "patent", "张", "", "", "?", "", 10, rnd.choice(stations),
                (start + dt.timedelta(seconds=rnd.uniform(0, span))).isoformat()) for _ in range(n)))
        kinds = ["assistance"] * 6 + ["complaint", "enforcement", "overseas"]
        types = ["patent_infringement", "counterfeit_patent", "trademark_infringement", "copyright", "other"]
        _copy(AssistanceCase, ["number", "kind", "case_type", "channel", "title", "description", "respondent",
                               "requester_name", "station_id", "state", "decline_reason", "outcome", "outcome_note",
                               "expert_opinion", "country", "requesting_authority", "created_at", "amount_claimed"],
              ((f"B{i:08d}", rnd.choice(kinds), rnd.choice(types), rnd.choice(channels), "案", "d", "", "", rnd.choice(stations),
                "intake", "", "", "", "", "", "", (start + dt.timedelta(seconds=rnd.uniform(0, span))).isoformat(),
                rnd.choice([None, 1000, 25000])) for i in range(n)))
        print(f"\nstats bench: {n} consultations + {n} assistance cases in {time.monotonic() - began:.1f}s "
              f"(+ {bench_data.get('cases', '?')} pre-exam cases)")
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"rows": n, "manager": bench_data["manager"]}


def _median(func):
    func()
    times = []
    for _ in range(N):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


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
    scope = resolve_scope(manager, PARAMS)
    lookup = scope.period.lookup("x")
    lo, hi = lookup["x__gte"], lookup["x__lt"]
    assert compute("prescreen", scope).value("cases_received") == _hand_prescreen(lo, hi)
    assert compute("rightsaid", scope).value("consultations") == _hand_rightsaid(lo, hi)
    print()
    for code, hand in (("prescreen", _hand_prescreen), ("rightsaid", _hand_rightsaid)):
        ours, theirs = _median(lambda: compute(code, scope)), _median(lambda: hand(lo, hi))
        ratio = ours / theirs if theirs else float("inf")
        print(f"  {code:<10} provider {ours * 1000:8.1f} ms   hand SQL {theirs * 1000:8.1f} ms   "
              f"ratio {ratio:4.2f}  {'PASS' if ratio <= 2 else 'FAIL'} (≤ 2×)")
    for code in ("quality", "mediation", "navigation", "outreach"):
        try:
            t = _median(lambda: compute(code, scope))
        except KeyError:
            continue
        print(f"  {code:<10} provider {t * 1000:8.1f} ms")


def test_dashboard_page_and_reports(stats_rows):
    from ipcenter.stats.reports import build_statistics_pdf, narrative
    from ipcenter.stats.selection import sections
    from ipcenter.reports.pdf import render_pdf

    manager = User.objects.get(pk=stats_rows["manager"].pk)
    client = Client()
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    url = "/stats/?period=year&year=2026"
    assert client.get(url).status_code == 200
    page = _median(lambda: client.get(url))
    print(f"\n  dashboard (year, with comparison)  {page * 1000:8.1f} ms  {'PASS' if page <= 1 else 'FAIL'} (≤ 1 s)")
    scope = resolve_scope(manager, {"period": "year", "year": "2026"})
    t = time.perf_counter()
    build_statistics_pdf(scope)
    pdf = time.perf_counter() - t
    print(f"  one-year PDF statistics report     {pdf * 1000:8.1f} ms  {'PASS' if pdf < 3 else 'FAIL'} (< 3 s)")
    t = time.perf_counter()
    data = sections(scope)
    render_pdf("stats/work_report_pdf.html", {"scope": scope, "scope_label": "全中心",
                                               "paragraphs": narrative(scope, data), "definitions": []})
    work = time.perf_counter() - t
    print(f"  one-year work report               {work * 1000:8.1f} ms  {'PASS' if work < 3 else 'FAIL'} (< 3 s)")

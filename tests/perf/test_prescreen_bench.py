"""Benchmark of the pre-exam list pages on 100k cases (``make bench``).

Prints, per page and page size, the queries per request, the median and p90 of N requests
and the ratio of the median to a trivial logged-in page (target ≤ 3×, printed as PASS/FAIL,
never asserted).  The lists do not count their rows while rendering; the total arrives as a
fragment the page loads afterwards, and is timed on its own ("… total" rows).  Asserted, because it is a correctness property: the number of queries
does not grow with the page size (no query per row)."""
import re
import statistics
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from prescreen.models import PreExamCase

pytestmark = pytest.mark.django_db

N = 20
WARMUP = 3
TARGET_RATIO = 3.0
PAGE_SIZES = (25, 100)


def _client(user):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _url(name, **query):
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class production_rendering:
    """Time templates as production renders them: pytest-django's test environment replaces
    ``Template._render`` with an instrumented version that sends a signal for every template,
    and the test client copies the whole context on each one.  That overhead grows with the
    number of included templates and would distort the ratios, so it is lifted while timing."""

    def __enter__(self):
        from django.template.base import Template
        from django.test import utils

        saved = getattr(utils._TestState, "saved_data", None)
        self.instrumented = Template._render
        if saved is not None and hasattr(saved, "template_render"):
            Template._render = saved.template_render
        return self

    def __exit__(self, *exc):
        from django.template.base import Template

        Template._render = self.instrumented
        return False


def measure(client, url, n=N):
    """Queries of one request (with their times) and the wall-clock of ``n`` more."""
    for _ in range(WARMUP):
        assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    queries = list(captured.captured_queries)  # copy: the next request clears the log
    times = []
    with production_rendering():
        for _ in range(n):
            began = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - began)
    times.sort()
    body = response.content.decode()
    return {"url": url, "queries": queries, "options": body.count("<option"), "rows": body.count("<tr"), "median": statistics.median(times),
            "p90": statistics.quantiles(times, n=10)[-1], "bytes": len(response.content)}


def sql_ms(measured):
    """Database time of the captured request (debug cursor; the rest of the median is Python)."""
    return sum(float(q["time"]) for q in measured["queries"]) * 1000


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


BIG_TABLES = ("prescreen_preexamcase", "deadlines_deadline")


def seq_scans(plan):
    return [t for t in BIG_TABLES if re.search(rf"Seq Scan on {t}\b", plan)]


def test_generator_spreads_cases_over_states_fields_leagues_and_examiners(bench_data):
    cases = PreExamCase.objects
    assert cases.count() >= bench_data["cases"]
    assert cases.values("state").distinct().count() == len(PreExamCase.State.values)
    assert cases.values("technical_field").distinct().count() == 2
    assert cases.values("organization__league").distinct().count() == 12
    assert cases.exclude(examiner=None).values("examiner").distinct().count() >= 30
    assert cases.filter(state=PreExamCase.State.ACCEPTED, examiner=None).count() > 0.01 * bench_data["cases"]


def test_list_pages_keep_constant_queries_and_report_timings(bench_data):
    examiner, manager = bench_data["examiner"], bench_data["manager"]
    pages = []  # (label, client, url name, page size)
    for size in PAGE_SIZES:
        pages.append(("examiner queue", examiner, "prescreen:queue", size))
    for size in PAGE_SIZES:
        pages.append(("staff case list", manager, "prescreen:case-list", size))
    pages.append(("home (examiner)", examiner, "home", None))
    trivial_name = "notify:list"

    clients = {examiner.pk: _client(examiner), manager.pk: _client(manager)}
    trivial = measure(clients[examiner.pk], _url(trivial_name))
    rows = []
    for label, user, name, size in pages:
        url = _url(name, per_page=size) if size else _url(name)
        if url is None:
            print(f"\n[bench] {name} does not exist yet; skipped")
            continue
        rows.append((label, size, measure(clients[user.pk], url)))
    # the total of each list arrives as a fragment after the page (ipcenter.pagination)
    rows.append(("queue total", None, measure(clients[examiner.pk], _url("prescreen:queue", _count=1))))
    rows.append(("case list total", None, measure(clients[manager.pk], _url("prescreen:case-list", _count=1))))

    print(f"\n\nPre-exam list pages: {bench_data['cases']:,} cases, {bench_data['orgs']:,} organisations; "
          f"N={N} requests each after {WARMUP} warm-up; trivial page = {trivial['url']}")
    header = (f"{'page':<18}{'per_page':>9}{'queries':>9}{'SQL ms':>8}{'median ms':>11}{'p90 ms':>9}{'× trivial':>11}"
              f"{'KB':>7}  target ≤ {TARGET_RATIO:g}×")
    print(header)
    print("-" * len(header))
    print(f"{'trivial':<18}{'':>9}{len(trivial['queries']):>9}{sql_ms(trivial):>8.0f}{trivial['median'] * 1000:>11.1f}"
          f"{trivial['p90'] * 1000:>9.1f}{1:>11.2f}{trivial['bytes'] / 1024:>7.0f}")
    for label, size, m in rows:
        ratio = m["median"] / trivial["median"]
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        print(f"{label:<18}{size or '':>9}{len(m['queries']):>9}{sql_ms(m):>8.0f}{m['median'] * 1000:>11.1f}"
              f"{m['p90'] * 1000:>9.1f}"
              f"{ratio:>11.2f}{m['bytes'] / 1024:>7.0f}  {verdict if size else ''}")

    print("\nSlowest queries per page (one request, times from the debug cursor):")
    for label, size, m in rows:
        print(f"  {label} per_page={size}: {m['rows']} <tr>, {m['options']} <option> in the page")
        for q in sorted(m["queries"], key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:220]}")

    # plans: the queue's queries when one scans the case table; any page's query over 50 ms
    for label, size, m in rows:
        if size not in (None, PAGE_SIZES[0]):
            continue
        for q in sorted(m["queries"], key=lambda q: -float(q["time"]))[:3]:
            if "prescreen_preexamcase" not in q["sql"] or q["sql"].startswith("DECLARE"):
                continue
            plan = explain(q["sql"])
            scans = seq_scans(plan)
            slow = float(q["time"]) > 0.05
            if (label == "examiner queue" and scans) or slow:
                print(f"\nEXPLAIN of a {label} query ({float(q['time']) * 1000:.0f} ms"
                      f"{', sequential scan on ' + ', '.join(scans) if scans else ''}):\n{q['sql'][:600]}\n{plan}")
            elif label == "examiner queue":
                print(f"\n{label} query without a sequential scan on the case table: {plan.splitlines()[0]}")

    # correctness: the number of queries does not depend on the page size
    by_page = {}
    for label, size, m in rows:
        if size:
            by_page.setdefault(label, {})[size] = len(m["queries"])
    for label, counts in by_page.items():
        assert counts[25] == counts[100], f"{label}: queries grow with the page size {counts}"

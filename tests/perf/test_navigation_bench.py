"""Benchmark of patent navigation at 100k patents (``make bench``, not run by ``make test``).

Prints: the import time of a 100k-row CSV and XLSX export and its ratio to PostgreSQL
``COPY`` of the same rows (target CSV ≤ 3×), the time of every analysis selector on 100k
patents (target ≤ 1 s each), the time of the full report PDF (target < 15 s) and the peak
RSS of the process (target < 500 MB).  Targets are printed as PASS/FAIL, never asserted;
the all-or-nothing import is asserted (a correctness property)."""
import datetime
import io
import os
import resource
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ipcenter.accounts import roles
from navigation import analyses, demo, services
from navigation.models import Patent
from tests import factories

pytestmark = pytest.mark.django_db

N = int(os.environ.get("BENCH_PATENTS", 100_000))


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _verdict(ok):
    return "PASS" if ok else "FAIL"


def _copy_seconds(records):
    """COPY the same rows (the patent columns) into a scratch table: the floor of any import."""
    buf = io.StringIO()
    for r in records:
        buf.write("\t".join([r["publication_number"], r["application_number"], r["title"].replace("\t", " "),
                             r["abstract"].replace("\t", " "), str(r["application_date"]), str(r["publication_date"]),
                             "; ".join(r["applicants"]), "; ".join(r["inventors"]), r["ipc_main"], "; ".join(r["ipc"]),
                             r["legal_status"], r["address"]]) + "\n")
    buf.seek(0)
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_copy (pub text, app text, title text, abstract text, app_date date, "
                    "pub_date date, applicants text, inventors text, ipc_main text, ipc text, legal text, address text)")
        start = time.perf_counter()
        cur.copy_expert("COPY bench_copy FROM STDIN", buf)
        seconds = time.perf_counter() - start
        cur.execute("DROP TABLE bench_copy")
    return seconds


def _import(project, user, upload):
    start = time.perf_counter()
    imp = services.upload_export(project, upload, user, cutoff_date=datetime.date(2024, 12, 31))
    services.confirm_import(imp, user, imp.mapping["columns"])
    services.run_import(imp.pk)
    imp.refresh_from_db()
    return imp, time.perf_counter() - start


class _Lines(list):
    """The printed figures, each shown as soon as it is measured (a later failure keeps them)."""

    def __init__(self, capsys):
        super().__init__()
        self.capsys = capsys

    def append(self, line):
        super().append(line)
        with self.capsys.disabled():
            print(("\n" if len(self) == 1 else "") + line, flush=True)


def test_navigation_benchmark(capsys, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    user = factories.staff(roles.NAVIGATION_ANALYST)
    records = demo.generate(N, "coal", seed=5)
    csv_path, xlsx_path = tmp_path / "bench.csv", tmp_path / "bench.xlsx"
    with open(csv_path, "wb") as fh:
        demo.write_chinese_csv(records, fh)
    with open(xlsx_path, "wb") as fh:
        demo.write_chinese_xlsx(records, fh)
    copy_s = _copy_seconds(records)
    del records  # the generated rows are the benchmark's, not the import's memory
    lines = _Lines(capsys)
    lines.append(f"navigation benchmark: {N} patents, CSV {csv_path.stat().st_size / 1e6:.1f} MB, "
                 f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB")
    lines.append(f"  COPY of the same rows        {copy_s:7.2f} s")
    rss0 = _rss_mb()

    csv_project = services.create_project(user, name="bench csv", project_type="industry", internal_client="bench",
                                          topic="coal")
    writing = {"s": 0.0}
    copy_rows = services._copy_rows

    def timed_copy(model, fields, rows):
        start = time.perf_counter()
        copy_rows(model, fields, rows)
        writing["s"] += time.perf_counter() - start

    services._copy_rows = timed_copy
    try:
        imp, csv_s = _import(csv_project, user, SimpleUploadedFile("bench.csv", csv_path.read_bytes()))
    finally:
        services._copy_rows = copy_rows
    assert imp.status == "done", imp.message
    assert Patent.objects.filter(project=csv_project).count() == imp.created_count
    ratio = csv_s / copy_s if copy_s else float("inf")
    lines.append(f"  CSV import                   {csv_s:7.2f} s   {ratio:5.1f}× COPY  (target ≤ 3×) {_verdict(ratio <= 3)}")
    # the floor of any import into this schema: COPY into the four indexed tables (with their
    # foreign keys), measured inside the import; the rest is reading, checking and merging
    lines.append(f"    of which COPY into patents, applicants, inventors, IPC rows {writing['s']:6.2f} s "
                 f"({writing['s'] / copy_s:4.1f}× the bare COPY); reading, checking, merging "
                 f"{csv_s - writing['s']:6.2f} s")

    xlsx_project = services.create_project(user, name="bench xlsx", project_type="industry", internal_client="bench",
                                           topic="coal")
    imp2, xlsx_s = _import(xlsx_project, user, SimpleUploadedFile("bench.xlsx", xlsx_path.read_bytes()))
    assert imp2.status == "done", imp2.message
    lines.append(f"  XLSX import                  {xlsx_s:7.2f} s   {xlsx_s / copy_s:5.1f}× COPY")

    patents = analyses.patents_of(csv_project)
    for section in analyses.SECTION_KEYS:
        start = time.perf_counter()
        analyses.compute(section, patents, csv_project)
        s = time.perf_counter() - start
        lines.append(f"  analysis {section:<18}  {s:7.3f} s   (target ≤ 1 s) {_verdict(s <= 1)}")

    from ipcenter.reports.models import ReportJob
    from navigation.reports import build_report

    report = services.request_navigation_report(csv_project, user, title="bench", sections=analyses.SECTION_KEYS,
                                                conclusions={})
    job = ReportJob.objects.get(pk=report.job_id)
    start = time.perf_counter()
    output = build_report(job, lambda pct, msg="": None)
    report_s = time.perf_counter() - start
    lines.append(f"  report PDF ({len(output.content) / 1e3:.0f} kB)          {report_s:7.2f} s   (target < 15 s) "
                 f"{_verdict(report_s < 15)}")
    peak = _rss_mb()
    lines.append(f"  peak RSS                     {peak:7.0f} MB  (before imports {rss0:.0f} MB; target < 500 MB) "
                 f"{_verdict(peak < 500)}")

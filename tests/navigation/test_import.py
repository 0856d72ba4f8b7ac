"""The import as users judge it: the three export families, bad rows reported with nothing
imported, idempotent re-import, merge of overlapping exports and simple families."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from navigation import demo, services
from navigation.models import Patent, PatentApplicant, PatentClassification, PatentImport

from .conftest import export_file

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("writer,name,source", [
    (demo.write_lens_csv, "lens-export.csv", "lens"),
    (demo.write_google_csv, "gp-search.csv", "google"),
    (demo.write_chinese_csv, "incoPat导出.csv", "chinese"),
    (demo.write_chinese_xlsx, "PatSnap导出.xlsx", "chinese"),
])
def test_each_export_family_imports_every_row(project, run_import, records, writer, name, source):
    imp = run_import(project, export_file(writer, records, name))
    assert imp.source == source
    assert imp.status == PatentImport.Status.DONE, imp.message
    assert imp.total_rows == len(records)
    assert imp.created_count + imp.merged_count == len(records)
    first = records[0]
    patent = Patent.objects.get(project=project, publication_number=first["publication_number"])
    assert patent.application_date == first["application_date"]
    assert patent.title == first["title"]
    assert set(patent.applicants.values_list("name", flat=True)) == set(first["applicants"])
    if source != "google":
        assert PatentClassification.objects.filter(patent=patent, is_main=True).count() == 1


def test_chinese_export_fills_region_legal_status_and_family(project, run_import, records):
    run_import(project, export_file(demo.write_chinese_csv, records, "cn.csv"))
    im = [r for r in records if "鄂尔多斯" in r["address"]][0]
    p = Patent.objects.get(project=project, publication_number=im["publication_number"])
    assert (p.province, p.city) == ("内蒙古", "鄂尔多斯")
    assert p.legal_status == {"有效": "valid", "授权": "valid", "实质审查": "pending"}.get(im["legal_status"], "invalid")
    assert p.cited_count == im["cited_count"]


def _csv(text, encoding="utf-8"):
    return SimpleUploadedFile("bad.csv", text.encode(encoding))


def test_bad_rows_are_reported_with_row_numbers_and_nothing_is_imported(project, run_import):
    text = ("公开（公告）号,申请号,申请日,标题,申请（专利权）人,被引证次数\n"
            "CN1001A,CN2020001,2020-01-05,好的一行,甲有限公司,3\n"
            "CN1002A,CN2020002,2020-13-45,坏日期,乙有限公司,1\n"
            "CN1003A,CN2020003,2020.02.03,坏数字,丙有限公司,很多\n"
            ",,2020-02-03,没有号码,丁有限公司,0\n")
    imp = run_import(project, _csv(text, "gb18030"))
    assert imp.status == PatentImport.Status.FAILED
    assert Patent.objects.filter(project=project).count() == 0
    found = {(e["row"], e["column"]) for e in imp.errors}
    assert found == {(3, "申请日"), (4, "被引证次数"), (5, "公开（公告）号")}
    assert "未导入任何数据" in imp.message


def test_failed_import_shows_its_report_on_the_page(client, analyst, project, run_import):
    imp = run_import(project, _csv("公开（公告）号,申请日\nCN1A,2020-99-01\n"))
    client.force_login(analyst)
    page = client.get(reverse("navigation:import-detail", args=[imp.pk])).content.decode()
    assert "校验报告" in page and "2020-99-01" in page and "申请日" in page


def test_an_error_while_writing_leaves_no_rows(project, run_import, records, monkeypatch):
    calls = {"n": 0}
    original = services._copy_rows

    def broken(model, fields, rows):
        if model is PatentApplicant:
            calls["n"] += 1
            if calls["n"] == 2:  # the second batch: the first one is already written
                raise RuntimeError("磁盘已满")
        return original(model, fields, rows)

    monkeypatch.setattr(services, "BATCH", 20)
    monkeypatch.setattr(services, "_copy_rows", broken)
    imp = run_import(project, export_file(demo.write_lens_csv, records, "lens.csv"))
    assert imp.status == PatentImport.Status.FAILED and "磁盘已满" in imp.message
    assert Patent.objects.filter(project=project).count() == 0
    assert PatentApplicant.objects.filter(project=project).count() == 0


def test_reimporting_the_same_file_adds_nothing(project, run_import, records):
    first = run_import(project, export_file(demo.write_lens_csv, records, "a.csv"))
    count = Patent.objects.filter(project=project).count()
    again = run_import(project, export_file(demo.write_lens_csv, records, "a.csv"))
    assert again.status == PatentImport.Status.DONE
    assert again.created_count == 0 and again.merged_count == len(records)
    assert Patent.objects.filter(project=project).count() == count == first.created_count


def test_overlapping_exports_merge_by_number_across_formats(project, run_import, records):
    run_import(project, export_file(demo.write_chinese_csv, records[:40], "cn.csv"))
    second = run_import(project, export_file(demo.write_google_csv, records[20:], "gp.csv"))
    assert second.merged_count == 20 and second.created_count == 20
    assert Patent.objects.filter(project=project).count() == 60


def test_members_of_one_simple_family_are_one_invention(project, run_import):
    text = ("公开（公告）号,申请号,申请日,标题,简单同族\n"
            "CN100000001A,CN201910000001,2019-01-01,一种煤气化装置,CN100000001A；US20200001A1\n"
            "US20200001A1,US16000001,2019-06-01,Coal gasifier,CN100000001A；US20200001A1\n"
            "CN100000002A,CN201910000002,2019-01-02,另一件,\n")
    imp = run_import(project, _csv(text))
    assert imp.created_count == 2 and imp.merged_count == 1
    cn = Patent.objects.get(project=project, publication_number="CN100000001A")
    assert cn.family_members == ["CN100000001A", "US20200001A1"]


def test_the_mapping_is_remembered_for_the_project(project, analyst, run_import):
    text = "专利号,日期,题目\nCN1A,2020-01-01,标题一\n"
    imp = services.upload_export(project, _csv(text), analyst)
    assert imp.source == "unknown" and imp.mapping["columns"] == {}
    with pytest.raises(ValidationError):
        services.confirm_import(imp, analyst, {"1": "application_date"})
    mapping = {"0": "publication_number", "1": "application_date", "2": "title"}
    done = run_import(project, _csv(text.replace("CN1A", "CN2A")), mapping=mapping)
    assert done.status == "done"
    again = services.upload_export(project, _csv(text), analyst)
    assert again.mapping["columns"] == mapping


def test_a_file_that_is_not_a_table_is_refused(project, analyst):
    with pytest.raises(ValidationError):
        services.upload_export(project, SimpleUploadedFile("x.csv", b"\x89PNG\r\n\x1a\n" + b"\0" * 100), analyst)


def test_upload_page_flow(client, analyst, project, records, django_capture_on_commit_callbacks):
    client.force_login(analyst)
    buf = io.BytesIO()
    demo.write_chinese_xlsx(records, buf)
    upload = SimpleUploadedFile("导出.xlsx", buf.getvalue())
    r = client.post(reverse("navigation:import-upload", args=[project.pk]),
                    {"file": upload, "cutoff_date": "2024-12-31"})
    assert r.status_code == 302
    imp = PatentImport.objects.get(project=project)
    page = client.get(r["Location"]).content.decode()
    assert "字段映射" in page and records[0]["publication_number"] in page
    post = {f"col_{k}": v for k, v in imp.mapping["columns"].items()}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(r["Location"], {**post, "action": "import"})
    assert r.status_code == 302
    imp.refresh_from_db()
    assert imp.status == "done" and imp.total_rows == 60
    frag = client.get(reverse("navigation:import-progress", args=[imp.pk])).content.decode()
    assert "100%" in frag


def test_upload_form_errors_are_field_level(client, analyst, project):
    client.force_login(analyst)
    r = client.post(reverse("navigation:import-upload", args=[project.pk]), {"cutoff_date": "明天"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "请输入有效的日期" in page


# --- the import is a core job ----------------------------------------------------------------

def test_the_import_runs_as_the_core_job_of_its_record(project, run_import, records, analyst, client):
    from ipcenter.reports.models import Job

    imp = run_import(project, export_file(demo.write_lens_csv, records, "lens.csv"))
    job = Job.objects.get(pk=imp.job_id)
    assert (job.kind, job.status, job.target, job.requested_by) == (services.IMPORT_JOB, "done", imp, analyst)
    assert job.counters == {"数据行": 60, "新增": imp.created_count, "合并": imp.merged_count}
    # a second delivery of the task (or a second run by hand) imports nothing more
    services.run_import(imp.pk)
    assert Patent.objects.filter(project=project).count() == imp.created_count
    client.force_login(analyst)
    assert client.get(reverse("reports:job", args=[job.pk])).status_code == 200


def test_a_failed_import_keeps_its_report_and_the_full_error_workbook(project, run_import, analyst, client):
    from openpyxl import load_workbook

    rows = "".join(f"CN{i}A,2020-99-0{i % 9 + 1}\n" for i in range(1, 301))
    imp = run_import(project, _csv("公开（公告）号,申请日\n" + rows))
    assert imp.status == PatentImport.Status.FAILED and imp.error_count == 300
    assert len(imp.errors) == 200 and imp.shown_errors()[0] == {
        "row": 2, "column": "申请日", "problem": "无法识别的日期“2020-99-02”（支持 2023-05-17、2023.05.17、20230517、2023/5/17）"}
    assert imp.job.status == "failed" and imp.job.error_report
    client.force_login(analyst)
    page = client.get(reverse("navigation:import-detail", args=[imp.pk])).content.decode()
    assert reverse("reports:errors", args=[imp.job_id]) in page
    sheet = load_workbook(io.BytesIO(b"".join(client.get(reverse("reports:errors", args=[imp.job_id]))
                                             .streaming_content))).worksheets[0]
    assert sheet.max_row == 301  # the header and every one of the 300 problems
    # the mapping can be confirmed again: a new job
    services.confirm_import(imp, analyst, imp.mapping["columns"])
    imp.refresh_from_db()
    assert imp.status == PatentImport.Status.QUEUED and imp.job.status == "queued" and imp.errors == []


def test_a_worker_killed_mid_import_fails_the_import_by_the_sweep(project, analyst, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from ipcenter.reports.models import Job
    from ipcenter.reports.services import fail_stale_jobs

    imp = services.upload_export(project, _csv("公开（公告）号,申请日\nCN1A,2020-01-01\n"), analyst)
    services.confirm_import(imp, analyst, imp.mapping["columns"])  # not run: on_commit not executed
    imp.refresh_from_db()
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Job.objects.filter(pk=imp.job_id).update(status=Job.Status.RUNNING, started_at=long_ago)
    assert imp.live_status == PatentImport.Status.RUNNING
    assert fail_stale_jobs() == 1
    imp.refresh_from_db()
    assert imp.status == PatentImport.Status.FAILED and "超过时间限制" in imp.message
    assert Patent.objects.filter(project=project).count() == 0


def test_someone_taken_off_the_team_before_the_run_gets_a_failed_import(project, analyst, outsider):
    imp = services.upload_export(project, _csv("公开（公告）号,申请日\nCN1A,2020-01-01\n"), analyst)
    services.confirm_import(imp, analyst, imp.mapping["columns"])  # queued; the worker runs it later
    project.lead = outsider
    project.save(update_fields=["lead"])
    project.members.remove(analyst)
    imp = services.run_import(imp.pk)
    assert imp.status == PatentImport.Status.FAILED and "无权访问" in imp.message
    assert Patent.objects.filter(project=project).count() == 0


def test_a_copy_failing_in_the_background_fails_the_import_and_leaves_no_rows(project, run_import, records,
                                                                             monkeypatch):
    """PostgreSQL refuses a later batch while the next one is being read (the COPY runs in the
    writer thread): the error reaches the import, which ends FAILED with nothing stored."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the background COPY is PostgreSQL's")
    calls = {"n": 0}
    real = services.parsing.applicant_kind

    def kind(name):
        calls["n"] += 1
        return real(name) if calls["n"] < 45 else "k" * 40  # too long for the column from the 3rd batch

    monkeypatch.setattr(services, "BATCH", 20)
    monkeypatch.setattr(services.parsing, "applicant_kind", kind)
    imp = run_import(project, export_file(demo.write_lens_csv, records, "lens.csv"))
    assert imp.status == PatentImport.Status.FAILED and "too long" in imp.message
    assert Patent.objects.filter(project=project).count() == 0
    assert PatentApplicant.objects.filter(project=project).count() == 0
    # the connection is usable again for the next import
    monkeypatch.setattr(services.parsing, "applicant_kind", real)
    again = run_import(project, export_file(demo.write_lens_csv, records, "lens-2.csv"))
    assert again.status == PatentImport.Status.DONE, again.message


def test_a_finished_import_refreshes_the_planner_statistics(project, run_import, records):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")
    imp = run_import(project, export_file(demo.write_lens_csv, records, "lens.csv"))
    assert imp.status == PatentImport.Status.DONE
    with connection.cursor() as cur:
        cur.execute("SELECT relname, reltuples FROM pg_class WHERE relname IN "
                    "('navigation_patent', 'navigation_patentapplicant')")
        tuples = dict(cur.fetchall())
    assert tuples["navigation_patent"] >= imp.created_count  # the task ran ANALYZE after the import
    assert tuples["navigation_patentapplicant"] >= 1


def test_an_inventor_named_twice_in_a_cell_is_stored_once(project, run_import):
    from navigation import analyses
    from navigation.models import PatentInventor

    imp = run_import(project, _csv("公开（公告）号,申请日,发明人\nCN1A,2020-01-01,张三;张三；李四\nCN2A,2021-01-01,张三\n"))
    assert imp.status == PatentImport.Status.DONE
    assert PatentInventor.objects.filter(project=project, name="张三").count() == 2  # once per patent
    rows = analyses.inventors(analyses.patents_of(project))
    assert {r["name"]: r["patents"] for r in rows} == {"张三": 2, "李四": 1}


def test_cell_problems_are_shown_in_the_readers_language(project, run_import, analyst, client):
    """The report keeps each problem's template and values: an English reader gets English on the
    import page, the job page and the API; the Chinese reader the Chinese text."""
    imp = run_import(project, _csv("公开（公告）号,申请日,被引证次数\nCN1A,2020-99-01,3\n,2020-01-01,很多\n"))
    assert imp.status == PatentImport.Status.FAILED
    client.force_login(analyst)
    zh = client.get(reverse("navigation:import-detail", args=[imp.pk])).content.decode()
    assert "无法识别的日期“2020-99-01”" in zh and "不是非负整数：“很多”" in zh
    client.cookies["django_language"] = "en"
    page = client.get(reverse("navigation:import-detail", args=[imp.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    job_page = client.get(reverse("reports:job", args=[imp.job_id]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    api = client.get(f"/api/v1/navigation/imports/{imp.pk}/errors/", HTTP_ACCEPT_LANGUAGE="en").json()
    for text in (page, job_page):
        assert "Unrecognised date “2020-99-01”" in text and "无法识别的日期" not in text
        assert "Not a non-negative whole number: “很多”" in text
    problems = {e["row"]: e["problem"] for e in api["errors"]}
    assert problems[2].startswith("Unrecognised date “2020-99-01”")
    assert problems[3] in ("Not a non-negative whole number: “很多”", "Missing both publication number and application number")


def test_the_progress_of_a_running_import_is_the_jobs_live_progress(project, analyst, client):
    from ipcenter.reports.models import Job
    from ipcenter.reports.services import set_progress

    imp = services.upload_export(project, _csv("公开（公告）号,申请日\nCN1A,2020-01-01\n"), analyst)
    imp = services.confirm_import(imp, analyst, imp.mapping["columns"])  # queued, not run
    Job.objects.filter(pk=imp.job_id).update(status=Job.Status.RUNNING)
    set_progress(imp.job_id, 42, "", write_row=False)  # what the worker reports from inside its transaction
    client.force_login(analyst)
    page = client.get(reverse("navigation:import-progress", args=[imp.pk]))
    assert page.status_code == 200 and "42%" in page.content.decode()
    api = client.get(f"/api/v1/navigation/imports/{imp.pk}/").json()
    assert api["status"] == "running" and api["progress"] == 42

"""Navigation projects, phases, patent-data imports and reports: every state change
of the app is one of these functions (views, API, tasks and seed call them)."""
import contextlib
import csv
import datetime
import gc
import hashlib
import io
import json
import logging
import queue
import sys
import threading

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, open_deadline
from ipcenter.files.services import store_upload
from ipcenter.workflow.engine import record_event

from . import parsing
from .models import (ApplicantAlias, IndustryChain, NavigationProject, NavigationReport, Patent, PatentApplicant,
                     PatentClassification, PatentImport, PatentInventor, ProjectPhase)

log = logging.getLogger(__name__)

PHASE_DEADLINE = "navigation.phase"
EXPORT_PURPOSE = "navigation.export"
DELIVERABLE_PURPOSE = "navigation.deliverable"
BATCH = 2000


# --- projects and phases ------------------------------------------------------------------

@transaction.atomic
def create_project(user, *, members=(), **fields):
    """A project starts with its six GB/T 39551 phases, the first one running."""
    project = NavigationProject.objects.create(lead=fields.pop("lead", None) or user, **fields)
    if members:
        project.members.set(members)
    now = timezone.now()
    for order, (kind, _label) in enumerate(ProjectPhase.Kind.choices):
        ProjectPhase.objects.create(project=project, kind=kind, order=order, owner=project.lead,
                                    started_at=now if order == 0 else None)
    record_event(project, "navigation.navigationproject.created", user)
    return project


def plan_phase(phase, user, *, owner, due_date, note=None):
    """Owner and due date of a phase; the due date is a reminded deadline while the phase is open."""
    if due_date and phase.done_at is None and due_date < timezone.localdate():
        raise ValidationError({"due_date": _("计划完成日期不能早于今天。")})
    with transaction.atomic():
        phase = ProjectPhase.objects.select_for_update().get(pk=phase.pk)
        phase.owner, phase.due_date = owner, due_date
        if note is not None:
            phase.note = note
        phase.save(update_fields=["owner", "due_date", "note"])
        if phase.done_at is None:
            if due_date:
                _open_phase_deadline(phase)
            else:
                close_deadlines(phase, PHASE_DEADLINE, state=Deadline.State.CANCELLED)
        record_event(phase.project, "navigation.navigationproject.phase_planned", user,
                     params={"phase": phase.get_kind_display(), "owner": owner or "—", "due": due_date or "—"})
    return phase


def _open_phase_deadline(phase):
    start = timezone.now()
    days = max(0, (phase.due_date - timezone.localdate()).days)
    open_deadline(phase, PHASE_DEADLINE, label=gettext_lazy("导航阶段：%(phase)s"),
                  label_params={"phase": phase.Kind(phase.kind).label},
                  rule=Deadline.Rule.CALENDAR_DAYS, amount=days, start=start, assignee=phase.owner,
                  url=phase.project.get_absolute_url())


def complete_phase(phase, user):
    """Mark a phase done: its deadline is met and the next phase starts (its clock opens)."""
    with transaction.atomic():
        phase = ProjectPhase.objects.select_for_update().get(pk=phase.pk)
        if phase.done_at is not None:
            raise ValidationError(_("该阶段已经完成。"))
        phase.done_at = timezone.now()
        phase.started_at = phase.started_at or phase.done_at
        phase.save(update_fields=["done_at", "started_at"])
        close_deadlines(phase, PHASE_DEADLINE)
        following = phase.project.phases.filter(order__gt=phase.order, done_at__isnull=True).order_by("order").first()
        if following is not None and following.started_at is None:
            following.started_at = timezone.now()
            following.save(update_fields=["started_at"])
            if following.due_date:
                _open_phase_deadline(following)
        record_event(phase.project, "navigation.navigationproject.phase_done", user,
                     params={"phase": phase.get_kind_display()})
    return phase


def add_deliverable(phase, uploaded, user, label=""):
    att = store_upload(uploaded, DELIVERABLE_PURPOSE, user, owner=phase, label=label or phase.get_kind_display())
    record_event(phase.project, "navigation.navigationproject.deliverable", user,
                 params={"phase": phase.get_kind_display(), "name": att.original_name})
    return att


# --- import: upload, detection, preview ---------------------------------------------------

def header_signature(headers):
    return hashlib.sha1("\x1f".join(parsing.header_key(h) for h in headers).encode()).hexdigest()[:16]


def _detect(att, kind):
    with att.file.open("rb") as fh:
        return parsing.detect_xlsx(fh) if kind == "xlsx" else parsing.detect_csv(fh)


def upload_export(project, uploaded, user, *, database_name="", cutoff_date=None):
    """Store an export in the private store and detect its header (the project's remembered
    mapping for the same header wins over auto-detection)."""
    att = store_upload(uploaded, EXPORT_PURPOSE, user, owner=project, label=_("专利数据"))
    kind = "xlsx" if att.mime_type.endswith("sheet") else "csv"
    try:
        found = _detect(att, kind)
    except Exception as exc:  # a damaged workbook is the user's problem to see, not a 500
        log.info("export %s unreadable: %s", att.pk, exc)
        raise ValidationError(_("无法读取该文件：%(error)s") % {"error": str(exc)[:200]})
    if not found.headers:
        raise ValidationError(found.problems[0] if found.problems else _("文件中没有找到表头行。"))
    remembered = NavigationProject.objects.filter(pk=project.pk).values_list("header_mapping", flat=True).first() or {}
    mapping = remembered.get(header_signature(found.headers)) or found.mapping
    return PatentImport.objects.create(
        project=project, attachment=att, file_kind=kind, encoding=found.encoding, source=found.source,
        database_name=database_name or _default_database(found.source), cutoff_date=cutoff_date,
        headers=found.headers, header_row=found.header_row, mapping={"columns": mapping, "delimiter": found.delimiter},
        created_by=user)


def _default_database(source):
    return {"lens": "Lens.org", "google": "Google Patents", "chinese": _("中文专利数据库")}.get(source, "")


def column_mapping(imp):
    return {int(k): v for k, v in (imp.mapping.get("columns") or {}).items() if v}


def iter_raw_rows(imp, with_position=False):
    """(row number, cells) of the data rows, streamed from the stored file; with
    ``with_position`` also how far into the file (bytes) the reader is, for the progress bar
    (asked every 256 rows: enough for a bar, and ``tell`` is not free)."""
    with imp.attachment.file.open("rb") as fh:
        xlsx = imp.file_kind == "xlsx"
        if xlsx:
            rows = parsing.xlsx_rows(fh)
        else:
            rows = parsing.csv_rows(fh, imp.encoding or "utf-8-sig", imp.mapping.get("delimiter") or ",")
        header_row, position = imp.header_row, 0
        for number, row in enumerate(rows, start=1):
            if number <= header_row:
                continue
            if xlsx:
                if not any(c is not None and str(c).strip() for c in row):
                    continue
            elif not "".join(row).strip():  # CSV cells are text: one join finds an empty row
                continue
            if with_position:
                if not number & 255:
                    try:
                        position = fh.tell()
                    except (OSError, ValueError):
                        position = 0
                yield number, row, position
            else:
                yield number, row


def preview(imp, limit=10):
    """The first rows as the mapping reads them, each cell with its problem if any."""
    mapping = column_mapping(imp)
    rows = []
    try:
        for number, cells in iter_raw_rows(imp):
            record, problems = convert_row(cells, mapping, imp.source, imp.headers)
            rows.append({"row": number, "cells": [_shown(cells[i]) if i < len(cells) else "" for i in sorted(mapping)],
                         "problems": problems})
            if len(rows) >= limit:
                break
    except (UnicodeDecodeError, ValueError) as exc:
        return rows, str(exc)
    return rows, ""


def _shown(value):
    """A preview cell as text (an XLSX date cell as its date, not a midnight moment)."""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    return value


def convert_row(cells, mapping, source, headers):
    """(record dict, [problems]) of one data row under ``mapping``."""
    return RowConverter(mapping, source, headers)(cells)


FIELD_ORDER = [f for f, _label in parsing.FIELDS]
NO_NUMBER = gettext_noop("缺少公开（公告）号和申请号")


def _cell_text(value, limit=None):
    text = value.strip() if type(value) is str else ("" if value is None else str(value).strip())
    return text[:limit] if limit else text


class RowConverter:
    """Reads data rows under one mapping: the column of every field is looked up once, and
    the cell rules (``parsing``) remember the values that repeat in an export (dates,
    applicants, addresses, IPC codes), so a row costs little more than its unique numbers."""

    def __init__(self, mapping, source, headers):
        self.source, self.headers = source, headers
        self.columns = {target: index for index, target in mapping.items()}
        self.mapping = mapping
        # the cell of every field in ``FIELD_ORDER`` (-1: the field is not mapped)
        self.indices = [self.columns.get(f, -1) for f in FIELD_ORDER]

    def header(self, target):
        index = self.columns.get(target)
        if index is None:
            return target
        return self.headers[index] if index < len(self.headers) else target

    def _problem(self, problems, target, error):
        """A problem of the row: a ``CellError`` (or a catalogue entry), kept with its template
        and parameters so that the report shows it in each reader's language."""
        template, params = (error.template, error.params) if isinstance(error, parsing.CellError) else (error, {})
        problems.append({"column": self.header(target), "problem": gettext(template) % params,
                         "template": str(template), "params": params})

    def __call__(self, cells):
        n = len(cells)
        (pub, app, title, abstract, app_date, pub_date, grant_date, priority_date, applicants, inventors,
         ipc_main, ipc, legal, family, family_size, cited, address, region, jurisdiction) = [
            cells[i] if 0 <= i < n else None for i in self.indices]
        source, split, clean = self.source, parsing.split_values, parsing.clean_number
        problems = []
        rec = {}
        for target, value in (("application_date", app_date), ("publication_date", pub_date),
                              ("grant_date", grant_date), ("priority_date", priority_date)):
            try:
                rec[target] = parsing.parse_date(value)
            except parsing.CellError as exc:
                self._problem(problems, target, exc)
                rec[target] = None
        for target, value in (("family_size", family_size), ("cited_count", cited)):
            try:
                rec[target] = parsing.parse_number(value)
            except parsing.CellError as exc:
                self._problem(problems, target, exc)
                rec[target] = 0
        pub = rec["publication_number"] = clean(_cell_text(pub))[:40]
        app = rec["application_number"] = clean(_cell_text(app))[:40]
        if not pub and not app:
            self._problem(problems, "publication_number", NO_NUMBER)
        rec["title"] = _cell_text(title)
        rec["abstract"] = _cell_text(abstract)
        rec["applicants"] = [a[:300] for a in split(applicants, source)]
        rec["inventors"] = [a[:200] for a in split(inventors, source)]
        ipcs = [c for c in map(parsing.ipc_parts, split(ipc, source)) if c]
        main = parsing.ipc_parts(_cell_text(ipc_main)) or (ipcs[0] if ipcs else None)
        if main and main not in ipcs:
            ipcs.insert(0, main)
        rec["ipcs"], rec["ipc_main"] = ipcs, main[0] if main else ""
        rec["legal_status_raw"] = _cell_text(legal, 100)
        members = [m for m in map(clean, split(family, source)) if m]
        in_family = bool(members)
        own = pub or app
        if own:
            members.append(own)
        members = rec["family_members"] = sorted(set(members))
        family_key = rec["family_key"] = members[0][:60] if in_family else ""
        if family_key and not rec["family_size"]:
            rec["family_size"] = len(members)
        rec["address"] = _cell_text(address, 300)
        rec["country"], rec["province"], rec["city"] = parsing.region_of(
            rec["address"], _cell_text(region), own, _cell_text(jurisdiction))
        rec["keys"] = tuple(k for k in (("p", pub), ("a", app), ("f", family_key)) if k[1])
        return rec, problems


# --- import: the background run -----------------------------------------------------------

IMPORT_JOB = "navigation.patent_import"


def import_progress(imp):
    """The percentage the import page shows: the job's live progress while it runs."""
    if imp.status == PatentImport.Status.DONE:
        return 100
    if imp.job_id is not None and imp.status in (PatentImport.Status.QUEUED, PatentImport.Status.RUNNING):
        return imp.job.live_progress[0]
    return imp.progress


def confirm_import(imp, user, mapping):
    """Accept the mapping (remembered for the project), then queue the import as a core job
    (``navigation.patent_import``, target = the import) that starts after commit."""
    from ipcenter.reports.services import request_job

    mapping = {str(k): v for k, v in mapping.items() if v}
    valid = {f for f, _label in parsing.FIELDS}
    bad = [v for v in mapping.values() if v not in valid]
    if bad:
        raise ValidationError(_("未知的字段：%(f)s") % {"f": ", ".join(bad)})
    targets = list(mapping.values())
    duplicates = sorted({t for t in targets if targets.count(t) > 1})
    if duplicates:
        raise ValidationError(_("字段“%(f)s”被映射到多个列。") % {
            "f": "、".join(parsing.FIELD_LABELS[d] for d in duplicates)})
    if "publication_number" not in targets and "application_number" not in targets:
        raise ValidationError(_("至少要把一列映射为“公开（公告）号”或“申请号”。"))
    with transaction.atomic():
        imp = PatentImport.objects.select_for_update().get(pk=imp.pk)
        if imp.status not in (PatentImport.Status.UPLOADED, PatentImport.Status.FAILED):
            raise ValidationError(_("该导入已经开始或已完成。"))
        imp.mapping = {**imp.mapping, "columns": mapping}
        imp.status, imp.progress, imp.errors, imp.error_count, imp.message = PatentImport.Status.QUEUED, 0, [], 0, ""
        imp.job = request_job(IMPORT_JOB, user, target=imp)
        imp.save(update_fields=["mapping", "status", "progress", "errors", "error_count", "message", "job"])
        project = NavigationProject.objects.select_for_update().get(pk=imp.project_id)
        project.header_mapping = {**project.header_mapping, header_signature(imp.headers): mapping}
        project.save(update_fields=["header_mapping"])
        record_event(project, "navigation.navigationproject.import_started", user,
                     params={"name": imp.attachment.original_name})
    return imp


def run_import(import_id):
    """Run the import's job now (the worker does it after ``confirm_import``; a job that
    already ran is not run again); returns the import as it ended."""
    from ipcenter.reports.services import run_job

    imp = PatentImport.objects.filter(pk=import_id).first()
    if imp is not None and imp.job_id is not None:
        run_job(imp.job_id)
        imp.refresh_from_db()
    return imp


def import_rows(ctx):
    """The import job (``navigation.jobs``): one streamed pass inside the job's one transaction.
    Every row is checked; a row whose publication number, application number or simple family
    is already in the project is merged (so a re-import adds nothing), the rest are inserted
    in batches.  Any bad date, number or missing number is a row error: the core rolls
    everything back and the job ends FAILED with the report (row, column, problem), which
    ``import_finished`` copies onto the import — nothing is half-imported."""
    imp = PatentImport.objects.select_for_update().select_related("attachment").get(pk=ctx.target.pk)
    if imp.status not in (PatentImport.Status.QUEUED, PatentImport.Status.RUNNING):
        return  # already finished (a job started again by hand): nothing to do
    # lock the project: two imports of one project merge one after the other
    NavigationProject.objects.select_for_update().filter(pk=imp.project_id).first()
    ctx.progress(0, _("读取文件"))
    created, merged, total = _import_rows(imp, ctx)
    if ctx.has_errors:
        return
    if total == 0:
        raise ValidationError(_("文件中没有数据行。"))
    ctx.count(_("数据行"), total)
    ctx.count(_("新增"), created)
    ctx.count(_("合并"), merged)
    PatentImport.objects.filter(pk=imp.pk).update(
        status=PatentImport.Status.DONE, progress=100, total_rows=total, created_count=created,
        merged_count=merged, finished_at=timezone.now())
    record_event(imp.project, "navigation.navigationproject.import_done", imp.created_by,
                 params={"name": imp.attachment.original_name, "created": created, "merged": merged})


def import_finished(job):
    """After the import job ended (``on_finish``): a success queues the refresh of the planner's
    statistics (``tasks.refresh_patent_statistics``);
    a failure is written onto the import here, outside the rolled-back transaction — its
    message, the count and the first rows of the report (all of them are in the job's error
    workbook).  Idempotent."""
    if job.status == job.Status.DONE:
        from .tasks import refresh_patent_statistics

        # the planner's statistics, in the background: the import is done for the user already
        transaction.on_commit(refresh_patent_statistics.delay)
        return
    if job.status != job.Status.FAILED:
        return
    imp = PatentImport.objects.filter(job_id=job.pk).select_related("project", "attachment").first()
    if imp is None:
        return
    if job.error_count:
        message = _("发现 %(n)s 处问题，未导入任何数据。请修改文件后重新上传。") % {"n": job.error_count}
    else:
        message = _("导入失败：%(error)s") % {"error": job.error[:500]}
    errors = [{"row": e[0], "column": e[1], "problem": e[2], **({"template": e[3], "params": e[4]} if len(e) >= 5
                                                               else {})} for e in job.row_errors]
    failed = PatentImport.objects.filter(pk=imp.pk, status__in=(
        PatentImport.Status.QUEUED, PatentImport.Status.RUNNING)).update(
        status=PatentImport.Status.FAILED, message=message[:4000], errors=errors, error_count=job.error_count,
        finished_at=timezone.now())
    if failed:
        record_event(imp.project, "navigation.navigationproject.import_failed", imp.created_by,
                     params={"name": imp.attachment.original_name}, comment=message[:500])


@contextlib.contextmanager
def _no_cycle_collection():
    """The cyclic garbage collector paused while rows stream through: a 100k-row import makes
    millions of short-lived strings and tuples (freed by reference counting, no cycles) that
    would otherwise trigger a full collection over every object of the process again and
    again — a third of the import's time.  Restored (and collected once) afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def refresh_statistics():
    """ANALYZE the four patent tables after an import: the planner then knows their new size
    at once (autovacuum would take a while), so the analyses use the right plans."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cur:
        for model in (Patent, PatentApplicant, PatentInventor, PatentClassification):
            cur.execute(f"ANALYZE {quote(model._meta.db_table)}")


def _import_rows(imp, ctx):
    _index_probes_only()
    with _no_cycle_collection(), _copy_writer():
        return _read_and_write_rows(imp, ctx)


def _index_probes_only():
    """For the rest of the import's transaction the planner may not scan the patent table: the
    table grows by thousands of rows per batch while its statistics still describe it as it
    was (empty, or before the last import), and a scan chosen on them inside the per-number
    merge probe cost seconds per batch.  JIT is off too (these are millisecond queries)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL jit = off")


def _read_and_write_rows(imp, ctx):
    project_id = imp.project_id
    size = imp.attachment.size or 1
    convert = RowConverter(column_mapping(imp), imp.source, imp.headers)
    created = merged = total = 0
    batch = []
    row_error = ctx.row_error
    for number, cells, done in iter_raw_rows(imp, with_position=True):
        total += 1
        rec, problems = convert(cells)
        if problems:
            for p in problems:
                row_error(number, p["column"], p["template"], p["params"])
            batch = []
            continue
        if ctx.error_count:
            continue  # keep checking the rest, write nothing more
        batch.append(rec)
        if len(batch) >= BATCH:
            new, same = _merge_batch(project_id, batch)
            created += _write_batch(imp, new)
            merged += same
            batch = []
            ctx.progress(min(99, 100 * done // size), _("已读取 %(n)s 行") % {"n": total})
    if batch and not ctx.error_count:
        new, same = _merge_batch(project_id, batch)
        created += _write_batch(imp, new)
        merged += same
    return created, merged, total


# --- COPY in the background of the reading ---------------------------------------------------

_writer = threading.local()


class _CopyWriter:
    """Runs the COPY statements of the import on the import's own connection (inside its
    transaction) in a second thread, so PostgreSQL ingests one batch while the next one is
    read and checked.  At most one batch is in flight: before the next batch looks up what
    is already in the project (``_existing_keys``), every earlier COPY has finished — the
    lookup sees it (the four COPYs of a batch are queued at once).  A COPY that fails is raised in the import's thread at the next
    ``wait``; ``close`` always waits for the thread, so nothing runs after the transaction."""

    def __init__(self, raw_connection):
        self.raw = raw_connection
        self.todo = queue.Queue(maxsize=4)  # the four COPYs of one batch
        self.error = None
        self.thread = threading.Thread(target=self._run, name="navigation-import-copy", daemon=True)
        self.thread.start()

    def _run(self):
        while True:
            item = self.todo.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    statements = item
                    with self.raw.cursor() as cur:
                        for sql, buf, size in statements:
                            # the whole buffer in one read: each read needs the interpreter lock,
                            # which the reading thread holds most of the time
                            cur.copy_expert(sql, buf, size=max(size, 8192))
            except BaseException as exc:  # noqa: BLE001 - handed to the import's thread
                self.error = exc
            finally:
                self.todo.task_done()

    def submit(self, statements):
        self._raise()
        self.todo.put(statements)

    def wait(self):
        self.todo.join()
        self._raise()

    def _raise(self):
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def close(self):
        self.todo.put(None)
        self.thread.join()


@contextlib.contextmanager
def _copy_writer():
    from django.db import connection

    if connection.vendor != "postgresql":
        yield None
        return
    connection.ensure_connection()
    writer = _CopyWriter(connection.connection)
    _writer.current = writer
    # the writer thread needs the interpreter lock back after each libpq call; by default it
    # waits up to 5 ms for the reading thread to give it up, for every call
    interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)
    try:
        yield writer
        writer.wait()
    finally:
        sys.setswitchinterval(interval)
        _writer.current = None
        writer.close()


def _wait_for_copies():
    writer = getattr(_writer, "current", None)
    if writer is not None:
        writer.wait()


def _merge_batch(project_id, records):
    """(records to insert, number merged) of one batch: a record whose publication number,
    application number or simple family is already in the project (written by an earlier
    import or an earlier batch of this one) or earlier in the batch is merged into it.  One
    query per batch, an index probe per number, so memory and cost do not grow with the
    project."""
    pubs = {r["publication_number"] for r in records if r["publication_number"]}
    apps = {r["application_number"] for r in records if r["application_number"]}
    fams = {r["family_key"] for r in records if r["family_key"]}
    _wait_for_copies()  # the earlier batches of this import are in the table
    seen = set(_existing_keys(project_id, list(pubs), list(apps), list(fams)))
    new = []
    for rec in records:
        keys = rec["keys"]
        if not seen.isdisjoint(keys):
            continue
        seen.update(keys)
        new.append(rec)
    return new, len(records) - len(new)


_KEY_COLUMNS = (("p", "publication_number"), ("a", "application_number"), ("f", "family_key"))


def _existing_keys(project_id, pubs, apps, fams):
    """The keys (``("p", number)``, ``("a", number)``, ``("f", family)``) among these that a
    patent of the project already has: a record is merged exactly when one of its keys is
    here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        match = Q(publication_number__in=pubs) | Q(application_number__in=apps) | Q(family_key__in=fams)
        found = set()
        for row in Patent.objects.filter(project_id=project_id).filter(match).values_list(  # scoped: import service
                "publication_number", "application_number", "family_key"):
            found.update((kind, value) for (kind, _column), value in zip(_KEY_COLUMNS, row) if value)
        return found
    # one index probe per number (LATERAL ... LIMIT 1 keeps the planner from scanning the
    # project's patents for a hash join, which would grow with the project)
    table = connection.ops.quote_name(Patent._meta.db_table)
    sql = " UNION ALL ".join(
        f"SELECT '{kind}', k.v FROM unnest(%s::text[]) AS k(v) CROSS JOIN LATERAL "
        f"(SELECT 1 FROM {table} p WHERE p.project_id = %s AND p.{column} = k.v LIMIT 1) AS hit"
        for kind, column in _KEY_COLUMNS)
    with connection.cursor() as cur:
        cur.execute(sql, [pubs, project_id, apps, project_id, fams, project_id])
        return [tuple(row) for row in cur.fetchall()]


def _copy_rows(model, fields, rows):
    """Insert ``rows`` (tuples in ``fields`` order) with PostgreSQL COPY (CSV written by the
    C ``csv`` writer), else bulk_create."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, r))) for r in rows], batch_size=2000)
        return
    quote = connection.ops.quote_name
    model_fields = [model._meta.get_field(f) for f in fields]
    columns = ", ".join(quote(f.column) for f in model_fields)
    # an empty unquoted cell is NULL only in nullable columns; elsewhere it is an empty string
    not_null = ", ".join(quote(f.column) for f in model_fields if not f.null and not f.primary_key)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    size = buf.tell()
    buf.seek(0)
    options = f"FORMAT csv, FORCE_NOT_NULL ({not_null})" if not_null else "FORMAT csv"
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN WITH ({options})"
    writer = getattr(_writer, "current", None)
    if writer is not None:  # an import under way: the COPY runs while the next batch is read
        writer.submit([(sql, buf, size)])
        return
    with connection.cursor() as cur:
        cur.cursor.copy_expert(sql, buf)


def _next_ids(model, n):
    from django.db import connection

    _wait_for_copies()  # one statement at a time on the connection
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, n])
        return [r[0] for r in cur.fetchall()]


PATENT_FIELDS = ["id", "project_id", "first_import_id", "publication_number", "application_number", "family_key",
                 "family_members", "family_size", "cited_count", "title", "abstract", "application_date",
                 "publication_date", "grant_date", "application_year", "publication_year", "applicants_text",
                 "inventors_text", "ipc_main", "ipc_text", "legal_status_raw", "legal_status", "address", "country",
                 "province", "city", "applicant_kind"]


def _json_texts(values):
    """A JSON array of strings: written directly when they need no escaping (cleaned patent
    numbers are letters and digits), else by ``json.dumps``."""
    joined = '","'.join(values)
    if joined.isascii() and joined.replace('","', "").isalnum():
        return f'["{joined}"]' if values else "[]"
    return json.dumps(values)


def _write_batch(imp, records):
    if not records:
        return 0
    project_id = imp.project_id
    ids = _next_ids(Patent, len(records))
    rows = []
    for i, rec in enumerate(records):
        applicants = rec["applicants"]
        app_date, pub_date = rec["application_date"], rec["publication_date"]
        first_date = app_date or rec["priority_date"] or pub_date
        rows.append((
            ids[i] if ids else None, project_id, imp.pk, rec["publication_number"], rec["application_number"],
            rec["family_key"], _json_texts(rec["family_members"]), rec["family_size"] or 1, rec["cited_count"], rec["title"],
            rec["abstract"], app_date, pub_date, rec["grant_date"], first_date.year if first_date else None,
            pub_date.year if pub_date else None, "; ".join(applicants), "; ".join(rec["inventors"]), rec["ipc_main"],
            "; ".join(c[0] for c in rec["ipcs"]), rec["legal_status_raw"],
            parsing.legal_status(rec["legal_status_raw"]) if rec["legal_status_raw"] else (
                "valid" if rec["grant_date"] else "unknown"),
            rec["address"], rec["country"], rec["province"], rec["city"],
            parsing.applicant_kind(applicants[0]) if applicants else "other"))
    if ids is None:  # not PostgreSQL: bulk_create returns the keys
        patents = Patent.objects.bulk_create([Patent(**dict(zip(PATENT_FIELDS[1:], r[1:]), family_members=rec[
            "family_members"])) for r, rec in zip(rows, records)])
        ids = [p.pk for p in patents]
    else:
        _copy_rows(Patent, PATENT_FIELDS, rows)
    applicants, inventors, classes = [], [], []
    for pk, rec in zip(ids, records):
        for pos, name in enumerate(rec["applicants"]):
            applicants.append((pk, project_id, pos, name, parsing.normalize_applicant(name)[:300],
                               parsing.applicant_kind(name)))
        for name in rec["inventors"]:
            inventors.append((pk, project_id, name))
        for code, section, klass, subclass, group in rec["ipcs"]:
            classes.append((pk, project_id, code[:40], section, klass, subclass, group[:20], code == rec["ipc_main"]))
    _copy_rows(PatentApplicant, ["patent_id", "project_id", "position", "name", "normalized", "kind"], applicants)
    _copy_rows(PatentInventor, ["patent_id", "project_id", "name"], inventors)
    _copy_rows(PatentClassification, ["patent_id", "project_id", "code", "section", "klass", "subclass", "group",
                                      "is_main"], classes)
    return len(records)


# --- industry-chain taxonomy ----------------------------------------------------------------

def create_chain(project, user, *, name, description=""):
    """A new (empty) chain for a project that has none; the project maps onto it."""
    with transaction.atomic():
        project = NavigationProject.objects.select_for_update().get(pk=project.pk)
        if project.chain_id:
            raise ValidationError(_("该项目已有产业链。"))
        chain = IndustryChain.objects.create(name=name, description=description)
        project.chain = chain
        project.save(update_fields=["chain"])
        record_event(project, "navigation.navigationproject.chain_edited", user, params={"chain": chain.name})
    return chain


def edit_chain(project, user, *, save=(), delete=()):
    """Save the edited parts of a project's chain (the chain, links, nodes) and delete the
    removed ones, all in one transaction; the mapping of every analysis reads the chain as
    it now is.  The edit is noted on the project's timeline."""
    if project.chain_id is None:
        raise ValidationError(_("该项目尚未选择产业链。"))
    with transaction.atomic():
        IndustryChain.objects.select_for_update().filter(pk=project.chain_id).first()
        for obj in delete:
            obj.delete()
        for obj in save:
            obj.save()
        record_event(project, "navigation.navigationproject.chain_edited", user, params={"chain": project.chain.name})


# --- aliases and reports -------------------------------------------------------------------

def save_alias(alias, canonical):
    """An alias row compares by the normalised name, so width and suffix variants of the
    alias match too."""
    alias_n, canonical_n = parsing.normalize_applicant(alias), parsing.normalize_applicant(canonical)
    if not alias_n or not canonical_n:
        raise ValidationError(_("别名和标准名称都不能为空。"))
    if alias_n == canonical_n:
        raise ValidationError(_("别名与标准名称规范化后相同，无需设置。"))
    obj, _created = ApplicantAlias.objects.update_or_create(alias=alias_n, defaults={"canonical": canonical_n})
    return obj


def project_cutoff(project):
    """The data cut-off date (latest of the imports) and the sources of the project's data."""
    done = project.imports.filter(status=PatentImport.Status.DONE)
    dates = [d for d in done.values_list("cutoff_date", flat=True) if d]
    sources = sorted({s for s in done.values_list("database_name", flat=True) if s})
    return (max(dates) if dates else None), sources


def request_navigation_report(project, user, *, title, sections, conclusions, filters=None):
    """A new report version, built in the background (PDF, then XLSX tables)."""
    from ipcenter.reports.services import request_report

    from .analyses import SECTION_KEYS

    sections = [s for s in sections if s in SECTION_KEYS]
    if not sections:
        raise ValidationError({"sections": _("请至少选择一个章节。")})
    with transaction.atomic():
        NavigationProject.objects.select_for_update().filter(pk=project.pk).first()
        last = project.reports.order_by("-version").values_list("version", flat=True).first() or 0
        report = NavigationReport.objects.create(
            project=project, version=last + 1, title=title or project.name, sections=sections,
            conclusions={k: v for k, v in (conclusions or {}).items() if k in sections and v}, created_by=user)
        params = {"report": report.pk, "filters": filters or {}}
        report.job = request_report("navigation.report", user, params,
                                    title=_("%(title)s（v%(v)s）") % {"title": report.title, "v": report.version})
        report.xlsx_job = request_report("navigation.report_tables", user, params,
                                         title=_("%(title)s 数据表（v%(v)s）") % {"title": report.title,
                                                                              "v": report.version})
        report.save(update_fields=["job", "xlsx_job"])
        record_event(project, "navigation.navigationproject.report_requested", user, params={"version": report.version})
    return report


def deliver_report(report, user):
    """The delivered version is the one the client organisation can download."""
    from ipcenter.reports.models import ReportJob

    if report.job is None or report.job.status != ReportJob.Status.DONE:
        raise ValidationError(_("报告尚未生成成功，不能交付。"))
    with transaction.atomic():
        NavigationReport.objects.filter(project=report.project, delivered=True).exclude(pk=report.pk).update(
            delivered=False)
        report.delivered, report.delivered_at = True, timezone.now()
        report.save(update_fields=["delivered", "delivered_at"])
        NavigationProject.objects.filter(pk=report.project_id).update(status=NavigationProject.Status.DELIVERED)
        record_event(report.project, "navigation.navigationproject.report_delivered", user,
                     params={"version": report.version})
    return report


def today():
    return datetime.date.today()

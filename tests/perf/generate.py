"""Volume data for the benchmarks: organisations, users, registrations and deadlines with
``bulk_create``; the 100k pre-exam cases are built as rows in batches of 10k and sent with
``COPY`` (about 25 000 rows/s end to end here, against ~3 900 rows/s for ``bulk_create``,
which stays available: ``BENCH_INSERT=bulk_create``).

The spread follows a centre a few years into operation: most cases concluded, an
examiner backlog in the queue, a few hundred under examination or awaiting correction,
drafts that were never submitted; two fields, twelve leagues, ~40 examiners."""
import contextlib
import datetime
import io
import json
import random
import time

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from stdnum.cn import uscc as uscc_mod

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, Station, TechnicalField, User
from ipcenter.deadlines.models import Deadline
from prescreen import services
from prescreen.models import PreExamCase, Registration
from prescreen.validators import make_application_number

S = PreExamCase.State
BATCH = 10_000
START = datetime.datetime(2022, 10, 8, tzinfo=datetime.timezone.utc)

# state → share of all cases.  ~100 cases a working day: open work is days of intake (about
# 20–30 cases per examiner under examination or awaiting correction), plus a queue backlog
# of 1 500; drafts accumulate; the rest is history.
STATE_SHARES = [
    (S.QUALIFIED, 0.722), (S.UNQUALIFIED, 0.09), (S.TERMINATED, 0.05), (S.REFUSED, 0.04), (S.DRAFT, 0.06),
    (S.SUBMITTED, 0.005), (S.ACCEPTED, 0.015), (S.EXAMINING, 0.007), (S.NEEDS_CORRECTION, 0.004),
]
SUBJECTS = ["益生菌发酵乳", "乳清蛋白肽粉", "肉苁蓉多糖提取物", "沙棘黄酮", "玉米秸秆青贮饲料", "L-乳酸发酵菌株",
            "钕铁硼永磁材料", "稀土抛光粉", "石墨烯导热膜", "铝合金板材", "碳纤维复合材料", "稀土镁合金", "煤基针状焦"]
FORMS = ["及其制备方法", "的生产工艺", "的检测方法", "的热处理工艺", "的提取工艺"]


@contextlib.contextmanager
def keep_timestamps(*pairs):
    """Let bulk-created rows keep their backdated ``auto_now_add`` values."""
    fields = [model._meta.get_field(name) for model, name in pairs]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved):
            f.auto_now_add = value


def _uscc(n):
    base = f"9215{n:013d}"[:17]
    return base + uscc_mod.calc_check_digit(base)


def _group(code):
    return Group.objects.get_or_create(name=code)[0]


def _users(prefix, count, role, *, organizations=None, station=None):
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{i}", display_name=f"{prefix}{i}", password="!",
              organization=organizations[i % len(organizations)] if organizations else None, station=station)
         for i in range(count)], batch_size=BATCH)
    through = User.groups.through
    group = _group(role)
    through.objects.bulk_create([through(user_id=u.pk, group_id=group.pk) for u in users], batch_size=BATCH)
    return users


def _case_columns():
    return [f for f in PreExamCase._meta.concrete_fields if not f.primary_key]


def _bulk_create_rows(rows):
    with keep_timestamps((PreExamCase, "created_at")):
        PreExamCase.objects.bulk_create([PreExamCase(**row) for row in rows], batch_size=BATCH)


def _copy_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_rows(rows):
    """``COPY ... FROM STDIN`` of the rows; columns not in a row get the field's default
    (formatted once)."""
    fields = _case_columns()
    names = [f.attname for f in fields]
    defaults = {f.attname: _copy_value(f.get_default()) for f in fields}
    missing = object()
    lines = []
    for row in rows:
        values = []
        for name in names:
            value = row.get(name, missing)
            values.append(defaults[name] if value is missing else _copy_value(value))
        lines.append("\t".join(values))
    buf = io.StringIO("\n".join(lines) + "\n")
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {PreExamCase._meta.db_table} ({columns}) FROM STDIN", buf)


def generate(n_cases=100_000, n_orgs=2_000, n_examiners=40, seed=20220928, method="copy", out=print):
    """Create the rows in one transaction; returns a summary dict.  Cases go in with
    ``COPY`` (``method="copy"``, PostgreSQL) or ``bulk_create`` (``method="bulk_create"``),
    from the same rows."""
    rnd = random.Random(seed)
    began = time.monotonic()
    now = timezone.now()
    leagues = list(Station.objects.filter(kind=Station.Kind.LEAGUE))
    centre = Station.objects.get(code="centre")
    biology, materials = TechnicalField.objects.get(code="biology"), TechnicalField.objects.get(code="new-materials")
    fields = [biology, materials]
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(
            [Organization(name=f"{leagues[i % len(leagues)].name}{SUBJECTS[i % len(SUBJECTS)][:4]}科技{i}有限公司",
                          uscc=_uscc(900_000 + i),
                          kind=Organization.Kind.AGENCY if i % 50 == 0 else Organization.Kind.COMPANY,
                          league=leagues[i % len(leagues)], status=Organization.Status.ACTIVE)
             for i in range(n_orgs)], batch_size=BATCH)
        org_field = {o.pk: fields[0] if i % 100 < 55 else fields[1] for i, o in enumerate(orgs)}
        through = Organization.technical_fields.through
        through.objects.bulk_create([through(organization_id=pk, technicalfield_id=f.pk)
                                     for pk, f in org_field.items()], batch_size=BATCH)
        companies = [o for o in orgs if o.kind == Organization.Kind.COMPANY]
        agencies = [o for o in orgs if o.kind == Organization.Kind.AGENCY]
        Registration.objects.bulk_create(
            [Registration(organization=o, state=Registration.State.REGISTERED, established_on=datetime.date(2015, 1, 1),
                          insured_staff=20, invention_patents=2, contact_name="联系人", contact_phone="0471-6600000")
             for o in orgs], batch_size=BATCH)
        filers = _users("bench-applicant", n_orgs, roles.APPLICANT, organizations=orgs)
        filer_of = {u.organization_id: u for u in filers}
        examiners = _users("bench-examiner", n_examiners, roles.EXAMINER, station=centre)
        managers = _users("bench-manager", 2, roles.MANAGER, station=centre)
        through = User.technical_fields.through
        examiner_fields = []
        by_field = {biology.pk: [], materials.pk: []}
        for i, ex in enumerate(examiners):  # a third biology, a third materials, a third both
            own = [fields[i % 3]] if i % 3 < 2 else fields
            for f in own:
                examiner_fields.append(through(user_id=ex.pk, technicalfield_id=f.pk))
                by_field[f.pk].append(ex)
        through.objects.bulk_create(examiner_fields, batch_size=BATCH)

        setup_done = time.monotonic()
        states = [s for s, _ in STATE_SHARES]
        weights = [w for _, w in STATE_SHARES]
        span = (now - START).total_seconds()
        month_ago = now - datetime.timedelta(days=30)
        outcome_cutoff = (now - datetime.timedelta(days=60)).date()
        org_rows = [(o.pk, org_field[o.pk].pk, o.name, filer_of[o.pk].pk,
                     "A23C 9/12" if org_field[o.pk] == biology else "C22C 1/02") for o in companies]
        examiner_ids = {pk: [e.pk for e in users] for pk, users in by_field.items()}
        agency_ids = [o.pk for o in agencies]
        titles = [f"一种{a}{b}" for a in SUBJECTS for b in FORMS]
        open_states = {S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION}
        timings = {"build": 0.0, "insert": 0.0}
        inserted = 0
        before = PreExamCase.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        sink = _copy_rows if method == "copy" else _bulk_create_rows
        for start in range(0, n_cases, BATCH):
            batch_began = time.monotonic()
            batch = []
            for seq in range(start, min(start + BATCH, n_cases)):
                state = rnd.choices(states, weights)[0]
                org_id, field_id, org_name, filer_id, ipc = org_rows[int(rnd.paretovariate(1.2) * 7) % len(org_rows)]
                if state in open_states:
                    window = 60 if state == S.DRAFT else 21
                    created_at = now - datetime.timedelta(seconds=rnd.uniform(3600, window * 86400))
                else:
                    created_at = min(START + datetime.timedelta(seconds=span * rnd.random() ** 0.7), month_ago)
                row = {"organization_id": org_id, "agency_id": agency_ids[seq % len(agency_ids)] if seq % 7 == 0
                       else None, "filed_by_id": filer_id, "title": rnd.choice(titles), "technical_field_id": field_id,
                       "applicants": org_name, "inventors": "张三；李四", "state": state, "created_at": created_at,
                       "ipc": ipc}
                if state != S.DRAFT:
                    row["submitted_at"] = created_at + datetime.timedelta(hours=rnd.uniform(1, 72))
                if state not in (S.DRAFT, S.SUBMITTED, S.REFUSED):
                    accepted = row["accepted_at"] = row["submitted_at"] + datetime.timedelta(hours=rnd.uniform(2, 40))
                    row["number"] = f"YS{accepted.year}{seq:07d}"
                if state in (S.EXAMINING, S.NEEDS_CORRECTION, S.QUALIFIED, S.UNQUALIFIED) or (
                        state == S.TERMINATED and rnd.random() < 0.5):
                    row["examiner_id"] = rnd.choice(examiner_ids[field_id])
                if state in (S.QUALIFIED, S.UNQUALIFIED):
                    row["concluded_at"] = row["accepted_at"] + datetime.timedelta(days=rnd.uniform(3, 20))
                    row["conclusion"] = state
                    row["correction_rounds"] = rnd.choice((0, 0, 1, 1, 2))
                if state == S.QUALIFIED and rnd.random() < 0.95:
                    filed = (row["concluded_at"] + datetime.timedelta(days=rnd.uniform(1, 9))).date()
                    row["cnipa_filed_on"] = filed
                    row["cnipa_application_number"] = make_application_number(filed.year, 1, seq)
                    if filed < outcome_cutoff:
                        row["cnipa_outcome"] = rnd.choices(("grant", "rejection", "deemed_withdrawn"), (90, 7, 3))[0]
                        row["cnipa_outcome_date"] = filed + datetime.timedelta(days=rnd.randint(20, 60))
                if state == S.REFUSED:
                    row["refuse_reason"] = "不属于预审受理范围。"
                if state == S.TERMINATED:
                    row["termination_reason"] = "申请人主动撤回。"
                batch.append(row)
            built = time.monotonic()
            sink(batch)
            inserted += len(batch)
            timings["build"] += built - batch_began
            timings["insert"] += time.monotonic() - built
        ct = ContentType.objects.get_for_model(PreExamCase)
        deadlines = []
        for pk, state, accepted_at, examiner_id, org_id in PreExamCase.objects.filter(
                pk__gt=before, state__in=[S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION]).values_list(
                "pk", "state", "accepted_at", "examiner_id", "organization_id"):
            due = accepted_at + datetime.timedelta(days=9)
            deadlines.append(Deadline(
                content_type=ct, object_id=pk, kind=services.TURNAROUND, label="预审办结",
                rule=Deadline.Rule.WORKING_DAYS, amount=7, starts_at=accepted_at, due_at=due,
                state=Deadline.State.OVERDUE if due < now else Deadline.State.OPEN, assignee_id=examiner_id,
                url=f"/prescreen/cases/{pk}/"))
            if state == S.NEEDS_CORRECTION:
                start_at = accepted_at + datetime.timedelta(days=3)
                deadlines.append(Deadline(
                    content_type=ct, object_id=pk, kind=services.CORRECTION, label="提交补正",
                    rule=Deadline.Rule.WORKING_DAYS, amount=5, starts_at=start_at,
                    due_at=start_at + datetime.timedelta(days=7), organization_id=org_id,
                    url=f"/prescreen/cases/{pk}/"))
        Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
        cases_done = time.monotonic()
    with connection.cursor() as cursor:
        # the steady state autovacuum keeps a production table in: statistics and an up-to-date
        # visibility map (VACUUM cannot run in a transaction block; fall back to ANALYZE there)
        for table in ("prescreen_preexamcase", "prescreen_registration", "accounts_organization", "accounts_user",
                      "deadlines_deadline"):
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {table}")
            else:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
    elapsed = time.monotonic() - began
    out(f"generated {inserted} cases, {len(orgs)} organisations, {len(examiners)} examiners, "
        f"{len(deadlines)} deadlines in {elapsed:.1f} s (organisations/users {setup_done - began:.1f} s; cases in batches of {BATCH}: "
        f"build {timings['build']:.1f} s, {method} {timings['insert']:.1f} s = "
        f"{inserted / max(timings['insert'], 1e-9):,.0f} rows/s; deadlines+commit "
        f"{cases_done - setup_done - timings['build'] - timings['insert']:.1f} s; ANALYZE {began + elapsed - cases_done:.1f} s)")
    return {"cases": inserted, "orgs": len(orgs), "examiner": examiners[0], "manager": managers[0],
            "applicant": filers[0], "seconds": elapsed}


def _copy_plain(model, columns, rows):
    """``COPY`` of plain tuples into ``model``'s table (values already COPY-safe or None)."""
    buf = io.StringIO()
    for row in rows:
        buf.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    buf.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN", buf)


def generate_services(n_consultations=300_000, n_assistance=300_000, seed=15, out=print):
    """Rights-assistance volume by ``COPY``: consultations and assistance cases spread over four
    years since opening and over every station; a fifth of the cases closed with an outcome and
    an amount recovered.  Returns the row counts."""
    from rightsaid.models import AssistanceCase, Consultation

    rnd = random.Random(seed)
    began = time.monotonic()
    stations = list(Station.objects.exclude(kind="centre").values_list("pk", flat=True))
    start = datetime.datetime(2022, 9, 28, tzinfo=datetime.timezone.utc)
    span = 4 * 365 * 86400
    channels = ["12330", "walk_in", "phone", "online", "referral"]
    topics = ["专利侵权咨询", "商标注册咨询", "维权途径", "海外展会", "假冒专利"]

    def when():
        return start + datetime.timedelta(seconds=rnd.uniform(0, span))

    with transaction.atomic():
        _copy_plain(Consultation, ["channel", "topic", "ip_type", "requester_name", "requester_contact",
                                   "requester_org_name", "question", "answer", "duration_minutes", "station_id",
                                   "created_at"],
                    ((rnd.choice(channels), rnd.choice(topics), rnd.choice(("patent", "patent", "trademark")), "张",
                      "", "", "?", "", 10, rnd.choice(stations), when().isoformat()) for _ in range(n_consultations)))
        kinds = ["assistance"] * 6 + ["complaint", "enforcement", "overseas"]
        types = ["patent_infringement", "counterfeit_patent", "trademark_infringement", "copyright", "other"]
        outcomes = ["resolved", "settled", "penalised", "judgment", "withdrawn", "unresolved"]

        def case_row(i):
            created = when()
            closed = rnd.random() < 0.2
            kind = rnd.choice(kinds)
            return (f"B{i:08d}", kind, rnd.choice(types), rnd.choice(channels), "案", "d", "", "",
                    rnd.choice(stations), "closed" if closed else "intake", "",
                    rnd.choice(outcomes) if closed else "", "", "", "蒙古国" if kind == "overseas" else "", "",
                    created.isoformat(),
                    (created + datetime.timedelta(days=rnd.uniform(5, 90))).isoformat() if closed else None,
                    rnd.choice([None, 1000, 25000]), rnd.choice([None, 500, 8000]) if closed else None)

        _copy_plain(AssistanceCase, ["number", "kind", "case_type", "channel", "title", "description", "respondent",
                                     "requester_name", "station_id", "state", "decline_reason", "outcome",
                                     "outcome_note", "expert_opinion", "country", "requesting_authority", "created_at",
                                     "closed_at", "amount_claimed", "amount_recovered"],
                    (case_row(i) for i in range(n_assistance)))
    with connection.cursor() as cursor:
        for table in ("rightsaid_consultation", "rightsaid_assistancecase"):
            cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")
    out(f"generated {n_consultations} consultations + {n_assistance} assistance cases in "
        f"{time.monotonic() - began:.1f} s")
    return {"consultations": n_consultations, "assistance_cases": n_assistance}

"""Volume data for the benchmarks: organisations, users and pre-exam cases made with
``bulk_create`` in batches (a few seconds for 100k cases on PostgreSQL).

The spread follows a centre a few years into operation: most cases concluded, an
examiner backlog in the queue, a few hundred under examination or awaiting correction,
drafts that were never submitted; two fields, twelve leagues, ~40 examiners."""
import datetime
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
from prescreen.seed import keep_timestamps
from prescreen.validators import make_application_number

S = PreExamCase.State
BATCH = 10_000
START = datetime.datetime(2022, 10, 8, tzinfo=datetime.timezone.utc)

# state → share of all cases (open states are a few weeks of intake, the rest is history)
STATE_SHARES = [
    (S.QUALIFIED, 0.655), (S.UNQUALIFIED, 0.09), (S.TERMINATED, 0.05), (S.REFUSED, 0.05), (S.DRAFT, 0.08),
    (S.SUBMITTED, 0.01), (S.ACCEPTED, 0.025), (S.EXAMINING, 0.025), (S.NEEDS_CORRECTION, 0.015),
]
SUBJECTS = ["益生菌发酵乳", "乳清蛋白肽粉", "肉苁蓉多糖提取物", "沙棘黄酮", "玉米秸秆青贮饲料", "L-乳酸发酵菌株",
            "钕铁硼永磁材料", "稀土抛光粉", "石墨烯导热膜", "铝合金板材", "碳纤维复合材料", "稀土镁合金", "煤基针状焦"]
FORMS = ["及其制备方法", "的生产工艺", "的检测方法", "的热处理工艺", "的提取工艺"]


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


def generate(n_cases=100_000, n_orgs=2_000, n_examiners=40, seed=20220928, out=print):
    """Create the rows (committed by the caller's transaction); returns a summary dict."""
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

        states = [s for s, _ in STATE_SHARES]
        weights = [w for _, w in STATE_SHARES]
        span = (now - START).total_seconds()
        seq = 0
        created = []
        ct = ContentType.objects.get_for_model(PreExamCase)
        deadlines = []
        for start in range(0, n_cases, BATCH):
            batch = []
            for _ in range(min(BATCH, n_cases - start)):
                state = rnd.choices(states, weights)[0]
                org = companies[int(rnd.paretovariate(1.2) * 7) % len(companies)]
                field = org_field[org.pk]
                if state in (S.DRAFT, S.SUBMITTED, S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION):
                    window = 60 if state == S.DRAFT else 21
                    created_at = now - datetime.timedelta(seconds=rnd.uniform(3600, window * 86400))
                else:
                    created_at = START + datetime.timedelta(seconds=span * rnd.random() ** 0.7)
                    created_at = min(created_at, now - datetime.timedelta(days=30))
                case = PreExamCase(
                    organization=org, agency=agencies[seq % len(agencies)] if seq % 7 == 0 else None,
                    filed_by=filer_of[org.pk], title=f"一种{rnd.choice(SUBJECTS)}{rnd.choice(FORMS)}",
                    technical_field=field, applicants=org.name, inventors="张三；李四", state=state,
                    created_at=created_at, ipc="A23C 9/12" if field is biology else "C22C 1/02")
                seq += 1
                if state != S.DRAFT:
                    case.submitted_at = created_at + datetime.timedelta(hours=rnd.uniform(1, 72))
                if state not in (S.DRAFT, S.SUBMITTED, S.REFUSED):
                    case.accepted_at = case.submitted_at + datetime.timedelta(hours=rnd.uniform(2, 40))
                    case.number = f"YS{case.accepted_at.year}{seq:07d}"
                if state in (S.EXAMINING, S.NEEDS_CORRECTION, S.QUALIFIED, S.UNQUALIFIED) or (
                        state == S.TERMINATED and rnd.random() < 0.5):
                    case.examiner = rnd.choice(by_field[field.pk])
                if state in (S.QUALIFIED, S.UNQUALIFIED):
                    case.concluded_at = case.accepted_at + datetime.timedelta(days=rnd.uniform(3, 20))
                    case.conclusion = state
                    case.correction_rounds = rnd.choice([0, 0, 1, 1, 2])
                if state == S.QUALIFIED and rnd.random() < 0.95:
                    filed = (case.concluded_at + datetime.timedelta(days=rnd.uniform(1, 9))).date()
                    case.cnipa_filed_on = filed
                    case.cnipa_application_number = make_application_number(filed.year, 1, seq)
                    if filed < (now - datetime.timedelta(days=60)).date():
                        case.cnipa_outcome = rnd.choices(["grant", "rejection", "deemed_withdrawn"], [90, 7, 3])[0]
                        case.cnipa_outcome_date = filed + datetime.timedelta(days=rnd.randint(20, 60))
                if state == S.REFUSED:
                    case.refuse_reason = "不属于预审受理范围。"
                if state == S.TERMINATED:
                    case.termination_reason = "申请人主动撤回。"
                batch.append(case)
            with keep_timestamps((PreExamCase, "created_at")):
                created += PreExamCase.objects.bulk_create(batch, batch_size=BATCH)
            for case in batch:
                if case.state in (S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION):
                    due = case.accepted_at + datetime.timedelta(days=9)
                    deadlines.append(Deadline(
                        content_type=ct, object_id=case.pk, kind=services.TURNAROUND, label="预审办结",
                        rule=Deadline.Rule.WORKING_DAYS, amount=7, starts_at=case.accepted_at, due_at=due,
                        state=Deadline.State.OVERDUE if due < now else Deadline.State.OPEN, assignee=case.examiner,
                        url=f"/prescreen/cases/{case.pk}/"))
                if case.state == S.NEEDS_CORRECTION:
                    start_at = case.accepted_at + datetime.timedelta(days=3)
                    deadlines.append(Deadline(
                        content_type=ct, object_id=case.pk, kind=services.CORRECTION, label="提交补正",
                        rule=Deadline.Rule.WORKING_DAYS, amount=5, starts_at=start_at,
                        due_at=start_at + datetime.timedelta(days=7), organization=case.organization,
                        url=f"/prescreen/cases/{case.pk}/"))
        Deadline.objects.bulk_create(deadlines, batch_size=BATCH)
    with connection.cursor() as cursor:
        for table in ("prescreen_preexamcase", "accounts_organization", "accounts_user", "deadlines_deadline"):
            cursor.execute(f"ANALYZE {table}")
    elapsed = time.monotonic() - began
    out(f"generated {len(created)} cases, {len(orgs)} organisations, {len(examiners)} examiners, "
        f"{len(deadlines)} deadlines in {elapsed:.1f} s ({len(created) / elapsed:,.0f} cases/s)")
    return {"cases": len(created), "orgs": len(orgs), "examiner": examiners[0], "manager": managers[0],
            "applicant": filers[0], "seconds": elapsed}

"""Pre-exam rules: every state change of a registration or case goes through here.

Acceptance and the examiner queue (claim / assign) with the turnaround clock; filing
(eligibility, quota, formal pre-check); opinions and release; corrections; CNIPA
tracking; risk. Interfaces for the quality app: ``docs/prescreen-contract.md``.
"""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.accounts import roles
from ipcenter.accounts.services import require_reviewed_organization
from ipcenter.accounts.rules import is_centre_manager
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import close_deadlines, on_expiry, open_deadline, reassign
from ipcenter.notify.services import notify
from ipcenter.workflow.engine import record_event, run_transition
from ipcenter.workflow.numbering import next_number

from .models import PreExamCase, PrescreenSettings

TURNAROUND = "prescreen.turnaround"


def _case_number(case):
    return next_number("prescreen.case", template="YS{year}{seq:05d}", existing=(PreExamCase, "number", "YS{year}"))


def accept_case(case, user, comment=""):
    """Staff accept a submitted case: it gets its number and the turnaround clock starts."""
    cfg = PrescreenSettings.load()

    def on_change(locked):
        locked.accepted_at = timezone.now()
        if not locked.number:
            locked.number = _case_number(locked)

    case = run_transition(case, "accept", user, comment, on_change=on_change)
    open_deadline(case, TURNAROUND, label=_("预审办结"), rule=Deadline.Rule.WORKING_DAYS,
                  amount=cfg.turnaround_working_days, start=case.accepted_at)
    notify([case.filed_by], title=_("预审案件已受理：%(title)s") % {"title": case.title}, target=case,
           key=f"prescreen.accepted.{case.pk}")
    return case


def refuse_case(case, user, reason):
    case = run_transition(case, "refuse", user, reason,
                          on_change=lambda locked: setattr(locked, "refuse_reason", reason))
    notify([case.filed_by], title=_("预审案件不予受理：%(title)s") % {"title": case.title}, body=reason,
           target=case, key=f"prescreen.refused.{case.pk}")
    return case


def _reassign_turnaround(case, examiner):
    reassign(case, TURNAROUND, assignee=examiner)


def _start_examination(case, examiner, actor, action):
    case.examiner = examiner
    run_transition(case, "start", actor, check_permission=False,
                   on_change=lambda locked: setattr(locked, "examiner", examiner))
    _reassign_turnaround(case, examiner)
    record_event(case, action, actor, data={"examiner": str(examiner)})
    return case


def claim_next(examiner):
    """Give the examiner the oldest unclaimed accepted case of their fields, or ``None``.

    Race-safe: the candidate row is locked with ``SKIP LOCKED``, so two examiners
    claiming at the same moment get different cases (never the same one)."""
    if not examiner.has_role(roles.EXAMINER):
        raise PermissionDenied(_("只有预审员可以领取案件。"))
    with transaction.atomic():
        case = (PreExamCase.objects.queue_for(examiner)
                .select_for_update(skip_locked=True, of=("self",)).first())
        if case is None:
            return None
        return _start_examination(case, examiner, examiner, "prescreen.preexamcase.claimed")


def claim_case(case, examiner):
    """The examiner takes this accepted, unclaimed case of one of their fields.

    Race-safe: the row is locked and its state read again under the lock, so of two examiners
    clicking at once one gets the case and the other a message naming who took it."""
    if not examiner.has_role(roles.EXAMINER):
        raise PermissionDenied(_("只有预审员可以领取案件。"))
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update(of=("self",)).select_related("examiner").get(pk=case.pk)
        if locked.state != PreExamCase.State.ACCEPTED or locked.examiner_id is not None:
            if locked.examiner_id == examiner.pk:
                raise ValidationError(_("您已领取该案件。"), code="claimed")
            if locked.examiner_id is not None:
                raise ValidationError(_("该案件已被 %(name)s 领取。") % {"name": locked.examiner}, code="claimed")
            raise ValidationError(_("当前状态为“%(state)s”，不能领取。") % {"state": locked.get_state_display()},
                                  code="state")
        if not examiner.technical_fields.filter(pk=locked.technical_field_id).exists():
            raise ValidationError(_("该案件属于“%(field)s”领域，您不负责该领域，不能领取。")
                                  % {"field": locked.technical_field}, code="field")
        return _start_examination(locked, examiner, examiner, "prescreen.preexamcase.claimed")


def claimable_by(case, user):
    """Whether ``user`` may claim ``case`` now (the page shows the button), and if not but they
    are an examiner, why (a hint instead of a silent page)."""
    if not user.has_role(roles.EXAMINER) or case.state != PreExamCase.State.ACCEPTED or case.examiner_id:
        return False, ""
    if not user.technical_fields.filter(pk=case.technical_field_id).exists():
        return False, _("该案件属于“%(field)s”领域，您不负责该领域；如需办理请联系中心管理人员分配。") % {
            "field": case.technical_field}
    return True, ""


def assign_case(case, examiner, manager):
    """A manager assigns an accepted case, or reassigns one under examination."""
    if not is_centre_manager(manager):
        raise PermissionDenied(_("只有中心管理人员可以分配案件。"))
    if not examiner.has_role(roles.EXAMINER):
        raise ValidationError({"examiner": _("所选人员不是预审员。")})
    if not examiner.technical_fields.filter(pk=case.technical_field_id).exists():
        raise ValidationError({"examiner": _("该预审员不负责“%(field)s”领域。") % {"field": case.technical_field}})
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.state == PreExamCase.State.ACCEPTED:
            return _start_examination(locked, examiner, manager, "prescreen.preexamcase.assigned")
        if locked.state in (PreExamCase.State.EXAMINING, PreExamCase.State.NEEDS_CORRECTION):
            previous = locked.examiner
            locked.examiner = examiner
            locked.save(update_fields=["examiner"])
            _reassign_turnaround(locked, examiner)
            record_event(locked, "prescreen.preexamcase.reassigned", manager,
                         data={"from": str(previous or ""), "to": str(examiner)})
            return locked
        raise ValidationError(_("当前状态为“%(state)s”，不能分配。") % {"state": locked.get_state_display()})


def close_turnaround(case):
    close_deadlines(case, TURNAROUND)


# --- filing: eligibility, quota, formal pre-check ------------------------------------------

DOCUMENT_ROLES = ("request", "description", "claims", "abstract", "drawings")


def annual_quota(organization, year):
    """Cases an entity may file in ``year``: max(minimum, ⌈qualified last year × grant rate × growth⌉).

    The grant rate counts last year's qualified cases with a CNIPA outcome; with no
    outcome recorded yet it is taken as 1 (the entity is not penalised for waiting)."""
    import math

    cfg = PrescreenSettings.load()
    last = PreExamCase.objects.filter(organization=organization, state=PreExamCase.State.QUALIFIED,
                                      concluded_at__year=year - 1)
    qualified = last.count()
    decided = last.exclude(cnipa_outcome="").count()
    granted = last.filter(cnipa_outcome=PreExamCase.CnipaOutcome.GRANT).count()
    rate = granted / decided if decided else 1.0
    return max(cfg.quota_minimum, math.ceil(qualified * rate * float(cfg.quota_growth)))


def quota_used(organization, year):
    return (PreExamCase.objects.filter(organization=organization, submitted_at__year=year)
            .exclude(state__in=[PreExamCase.State.DRAFT, PreExamCase.State.REFUSED]).count())


def run_formal_precheck(case):
    """Extract the case's current documents (attachment label = document role) and run
    the formal pre-check; findings are stored on the case and returned."""
    import io

    from ipcenter.files.containers import ContainerError, check_container
    from ipcenter.files.services import attachments_of, kind_of

    from .precheck import MAX_INPUT_BYTES, ExtractionError, extract_text, run_precheck

    cfg = PrescreenSettings.load()
    docs = {role: [] for role in DOCUMENT_ROLES}
    problems = []
    for att in attachments_of(case):
        if att.label not in docs:
            continue
        try:
            # bounded read, and what the file expands to is checked again before parsing
            # (files stored before the upload check existed get the same protection)
            with att.file.open("rb") as fh:
                data = fh.read(MAX_INPUT_BYTES + 1)
            check_container(data, kind_of(att.mime_type), att.original_name)
            docs[att.label].append(extract_text(io.BytesIO(data), att.original_name))
        except (ExtractionError, ContainerError, OSError) as exc:
            message = _("文件已不在存储中，请重新上传。") if isinstance(exc, OSError) else str(exc)
            problems.append({"code": "unreadable", "severity": "warn", "message": message,
                             "document": att.label, "location": att.original_name})
    findings = [f.as_dict() for f in run_precheck(
        {k: v for k, v in docs.items() if v}, title=case.title, forbidden_words=cfg.forbidden_words(),
        abstract_limit=cfg.abstract_limit, title_limit=cfg.title_limit)] + problems
    text = "\n".join(d.text for role in ("claims", "abstract") for d in docs[role])
    PreExamCase.objects.filter(pk=case.pk).update(precheck_findings=findings, claims_abstract_text=text)
    case.precheck_findings, case.claims_abstract_text = findings, text
    return findings


# --- the pre-check in the background: a Celery task with time limits; the review page polls

PRECHECK_STATE_KEY = "prescreen.precheck.%s"
PRECHECK_STATE_TTL = 24 * 3600
PRECHECK_RUNNING, PRECHECK_DONE = "running", "done"


def precheck_digest(case):
    """What the stored findings depend on: the current document versions and the title."""
    import hashlib

    from ipcenter.files.services import attachments_of

    ids = sorted(str(a.pk) for a in attachments_of(case) if a.label in DOCUMENT_ROLES)
    return hashlib.sha256("|".join([case.title, *ids]).encode()).hexdigest()[:32]


def precheck_state(case, digest=None):
    """``done`` when the case's stored findings are for its current documents, ``running``
    when a check for them has been requested, otherwise ``None``."""
    from django.core.cache import cache

    state = cache.get(PRECHECK_STATE_KEY % case.pk)
    digest = digest or precheck_digest(case)
    return state["status"] if state and state.get("digest") == digest else None


def request_precheck(case):
    """Make sure the findings for the case's current documents exist or are being made by the
    background task; returns the state (``done`` or ``running``)."""
    from django.core.cache import cache

    from . import tasks

    digest = precheck_digest(case)
    state = precheck_state(case, digest)
    if state is not None:
        return state
    cache.set(PRECHECK_STATE_KEY % case.pk, {"digest": digest, "status": PRECHECK_RUNNING}, PRECHECK_STATE_TTL)
    tasks.run_precheck.delay(case.pk, digest)  # the documents are committed: they were uploaded earlier
    return precheck_state(case, digest) or PRECHECK_RUNNING


def _fresh_precheck_findings(case):
    """The background check's findings when they are for the current documents and complete
    (a timed-out check is run again), else ``None``."""
    if precheck_state(case) != PRECHECK_DONE:
        return None
    case.refresh_from_db(fields=["precheck_findings", "claims_abstract_text"])
    findings = case.precheck_findings or []
    return None if any(f.get("code") == "precheck_timeout" for f in findings) else findings


def finish_precheck(case_id, digest, timed_out=False):
    """The task's work: run the check for ``digest`` (skipped when the documents changed since
    it was requested — a newer request follows) and mark it done."""
    from django.core.cache import cache

    case = PreExamCase.objects.filter(pk=case_id, state=PreExamCase.State.DRAFT).first()
    if case is None or precheck_digest(case) != digest:
        return None
    if timed_out:
        findings = [{"code": "precheck_timeout", "severity": "warn", "document": "",
                     "location": _("全部文件"),
                     "message": _("自动形式预检超时未完成，请检查文件是否过大或损坏；提交时将再次检查。")}]
        PreExamCase.objects.filter(pk=case.pk).update(precheck_findings=findings)
    else:
        findings = run_formal_precheck(case)
    cache.set(PRECHECK_STATE_KEY % case.pk, {"digest": digest, "status": PRECHECK_DONE}, PRECHECK_STATE_TTL)
    return findings


def remove_draft_document(case, user, attachment_id):
    """The filer removes the current version of one of a draft's documents; the version it
    replaced becomes current again. A submitted case's files are never deleted. Returns the
    removed file's name, or ``None`` when the draft has no such current document (including
    an id that is not an attachment id at all)."""
    from ipcenter.files.services import attachments_of, discard, parse_attachment_id

    from .models import acts_for_case

    att_id = parse_attachment_id(attachment_id)
    if att_id is None:
        return None
    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以修改申请文件。"))
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != PreExamCase.State.DRAFT:
            raise ValidationError(_("案件已提交，申请文件不能再删除。"))
        att = attachments_of(locked).filter(pk=att_id, purpose="prescreen.document").first()
        if att is None:
            return None
        name = att.original_name
        discard(att)
    return name


# On PostgreSQL the comparable cases closest by trigram similarity (GIN pg_trgm index, migration
# 0005) are scored exactly; the index finds them among all comparable cases, however many.
SIMILARITY_CANDIDATES = 50


def _similarity_candidates(case, candidates):
    """(pk, text) rows of ``candidates`` worth scoring against ``case``: every one of them —
    on PostgreSQL narrowed by the trigram index to the closest texts, elsewhere streamed."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return candidates.values_list("pk", "claims_abstract_text").iterator(chunk_size=500)
    from django.contrib.postgres.lookups import TrigramSimilar
    from django.contrib.postgres.search import TrigramSimilarity

    PreExamCase._meta.get_field("claims_abstract_text").register_lookup(TrigramSimilar)
    text = case.claims_abstract_text
    return (candidates.filter(claims_abstract_text__trigram_similar=text)
            .annotate(trigram=TrigramSimilarity("claims_abstract_text", text))
            .order_by("-trigram", "-pk").values_list("pk", "claims_abstract_text")[:SIMILARITY_CANDIDATES])


def flag_near_duplicate(case):
    """Mark the case with its most similar earlier case (same applicant, or any case of the
    same field, per settings) when the claims/abstract similarity reaches the threshold.
    Every case in that scope is compared, however old."""
    from .similarity import best_matches, fingerprint

    cfg = PrescreenSettings.load()
    if not case.claims_abstract_text:
        return None
    candidates = PreExamCase.objects.exclude(pk=case.pk).exclude(claims_abstract_text="").exclude(
        state=PreExamCase.State.DRAFT)
    if cfg.similarity_scope == PrescreenSettings.SimilarityScope.SAME_APPLICANT:
        candidates = candidates.filter(organization=case.organization)
    else:
        candidates = candidates.filter(technical_field=case.technical_field)
    rows = _similarity_candidates(case, candidates)
    matches = best_matches(case.claims_abstract_text, rows, threshold=float(cfg.similarity_threshold), limit=1)
    update = {"fingerprint": fingerprint(case.claims_abstract_text)}
    if matches:
        update.update(similar_case_id=matches[0][0], similarity_score=round(matches[0][1], 3))
    PreExamCase.objects.filter(pk=case.pk).update(**update)
    for key, value in update.items():
        setattr(case, key, value)
    if matches:
        record_event(case, "prescreen.preexamcase.near_duplicate", None,
                     data={"case": matches[0][0], "score": round(matches[0][1], 3)})
    return matches[0] if matches else None


def filing_errors(case):
    """Why ``case`` cannot be submitted (field → Chinese message); empty when it can."""
    from .models import Registration

    cfg = PrescreenSettings.load()
    errors = {}
    if case.is_pct_national_phase:
        errors["is_pct_national_phase"] = _("PCT 国际申请进入中国国家阶段的申请不属于预审受理范围。")
    if case.is_divisional:
        errors["is_divisional"] = _("分案申请不属于预审受理范围。")
    if not case.technical_field.prescreen_enabled:
        errors["technical_field"] = _("“%(field)s”领域暂未开展预审。") % {"field": case.technical_field}
    if case.patent_type == PreExamCase.PatentType.DESIGN and not cfg.design_enabled:
        errors["patent_type"] = _("中心目前不受理外观设计专利预审。")
    if case.organization.status != case.organization.Status.ACTIVE:
        errors["organization"] = _("申请人单位尚未通过中心审核，不能提交预审。")
    elif not Registration.objects.filter(organization=case.organization,
                                         state=Registration.State.REGISTERED).exists():
        errors["organization"] = _("申请人单位尚未完成备案或备案已暂停/取消，不能提交预审。")
    year = timezone.localdate().year
    quota = annual_quota(case.organization, year)
    if quota_used(case.organization, year) >= quota:
        errors.setdefault("organization", _("已达到 %(year)s 年度预审配额（%(quota)s 件），不能再提交。")
                          % {"year": year, "quota": quota})
    return errors


def submit_case(case, user):
    """The applicant (or its agency) submits a draft: eligibility, quota and the formal
    pre-check are enforced; missing required documents block, other findings warn.
    Filings of one entity are serialised on its registration row, so two submissions at
    the same moment cannot both take the last unit of quota."""
    from .models import Registration, acts_for_case

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以提交预审。"))
    findings = _fresh_precheck_findings(case)
    if findings is None:
        findings = run_formal_precheck(case)
    blocking = [f["message"] for f in findings if f["severity"] == "block"]
    with transaction.atomic():
        list(Registration.objects.select_for_update().filter(organization=case.organization))
        errors = filing_errors(case)
        if blocking:
            errors["__all__"] = blocking
        if errors:
            raise ValidationError(errors)
        case = run_transition(case, "submit", user,
                              on_change=lambda locked: setattr(locked, "submitted_at", timezone.now()))
        flag_near_duplicate(case)
        notify_submitted(case)
        return case


# --- opinions, release, corrections, conclusion -------------------------------------------

CORRECTION = "prescreen.correction"
CNIPA_FILING = "prescreen.cnipa_filing"


def start_opinion(case, examiner):
    """The case's examiner opens (or continues) the opinion of the current round."""
    from .models import Opinion

    if case.examiner_id != examiner.pk:
        raise PermissionDenied(_("只有本案预审员可以撰写意见。"))
    if case.state != PreExamCase.State.EXAMINING:
        raise ValidationError(_("案件不在预审中，不能撰写意见。"))
    with transaction.atomic():
        open_one = case.opinions.select_for_update().filter(
            state__in=[Opinion.State.DRAFT, Opinion.State.RETURNED, Opinion.State.SUBMITTED]).first()
        if open_one:
            return open_one
        return Opinion.objects.create(case=case, author=examiner, round=case.opinions.count() + 1)


def add_defect_item(opinion, user, *, defect_type, location, text, suggestion=""):
    from .models import DefectItem, Opinion

    if opinion.author_id != user.pk or opinion.state not in (Opinion.State.DRAFT, Opinion.State.RETURNED):
        raise PermissionDenied(_("只能修改自己尚未提交的意见。"))
    item = DefectItem(opinion=opinion, defect_type=defect_type, location=location.strip(), text=text.strip(),
                      suggestion=suggestion.strip(), order=opinion.items.count() + 1)
    item.full_clean()
    item.save()
    return item


def submit_opinion(opinion, user, *, conclusion, reasons=""):
    """The author submits the opinion for release; receivers of ``opinion_submitted`` (the
    peer check) may block it, otherwise it is issued at once."""
    from . import hooks
    from .models import Opinion

    errors = {}
    if conclusion not in Opinion.Conclusion.values:
        errors["conclusion"] = _("请选择预审结论。")
    elif conclusion == Opinion.Conclusion.NEEDS_CORRECTION and not opinion.items.exists():
        errors["conclusion"] = _("需补正的意见至少要有一条缺陷条目。")
    elif conclusion == Opinion.Conclusion.UNQUALIFIED and not reasons.strip():
        errors["reasons"] = _("请填写不合格的理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.author_id != user.pk:
            raise PermissionDenied(_("只能提交自己撰写的意见。"))
        if locked.state not in (Opinion.State.DRAFT, Opinion.State.RETURNED):
            raise ValidationError(_("该意见已提交。"))
        def on_submit(row):
            row.conclusion, row.reasons, row.submitted_at = conclusion, reasons.strip(), timezone.now()

        run_transition(locked, "submit", user, check_permission=False, on_change=on_submit)
        record_event(locked.case, "prescreen.opinion.submitted", user, params={"n": locked.round})
        hooks.opinion_submitted.send(sender=Opinion, opinion=locked, actor=user)
        try_release(locked, user)
    opinion.refresh_from_db()
    return opinion


def try_release(opinion, actor):
    """Issue a submitted opinion unless a release blocker objects; returns True if issued."""
    from . import hooks
    from .models import Opinion

    with transaction.atomic():
        opinion = Opinion.objects.select_for_update().select_related("case").get(pk=opinion.pk)
        if opinion.state != Opinion.State.SUBMITTED or hooks.release_blockers(opinion):
            return False
        run_transition(opinion, "issue", actor, check_permission=False,
                       on_change=lambda row: setattr(row, "issued_at", timezone.now()))
        case = opinion.case
        cfg = PrescreenSettings.load()
        if opinion.conclusion == Opinion.Conclusion.NEEDS_CORRECTION:
            case = run_transition(case, "request_correction", actor, check_permission=False,
                                  on_change=lambda c: setattr(c, "correction_rounds", c.correction_rounds + 1))
            open_deadline(case, CORRECTION, label=_("提交补正"), rule=Deadline.Rule.WORKING_DAYS,
                          amount=cfg.correction_working_days, organization=case.organization)
        else:
            name = "qualify" if opinion.conclusion == Opinion.Conclusion.QUALIFIED else "disqualify"

            def conclude(c):
                c.conclusion, c.concluded_at = opinion.conclusion, timezone.now()

            case = run_transition(case, name, actor, check_permission=False, on_change=conclude)
            close_deadlines(case, TURNAROUND)
            if name == "qualify":
                open_deadline(case, CNIPA_FILING, label=_("向国家知识产权局正式递交"),
                              rule=Deadline.Rule.CALENDAR_DAYS, amount=cfg.cnipa_filing_days,
                              organization=case.organization)
            hooks.case_concluded.send(sender=PreExamCase, case=case, actor=actor)
        hooks.opinion_issued.send(sender=Opinion, opinion=opinion, actor=actor)
        notify([case.filed_by], title=_("预审意见已发出：%(title)s") % {"title": case.title},
               body=opinion.get_conclusion_display(), target=case, key=f"prescreen.opinion.{opinion.pk}")
        transaction.on_commit(lambda pk=opinion.pk: _queue_letter(pk))
    return True


def _queue_letter(opinion_id):
    from .tasks import make_opinion_letter

    try:
        make_opinion_letter.delay(opinion_id)
    except Exception:  # broker down: the letter is made on first download instead
        import logging

        logging.getLogger(__name__).warning("could not queue opinion letter %s", opinion_id, exc_info=True)


def return_opinion(opinion, actor, reason):
    """A reviewer sends a submitted opinion back to its author."""
    from .models import Opinion

    if not reason.strip():
        raise ValidationError({"reason": _("请填写退回理由。")})
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.state != Opinion.State.SUBMITTED:
            raise ValidationError(_("只有待签发的意见可以退回。"))
        run_transition(locked, "return", actor, reason, check_permission=False)
        record_event(locked.case, "prescreen.opinion.returned", actor, comment=reason)
    notify([locked.author], title=_("预审意见被退回：%(case)s") % {"case": locked.case}, body=reason,
           target=locked.case)
    return locked


def submit_correction(case, user, files, note=""):
    """The applicant answers a correction notice with new document versions and a note.

    ``files`` maps document role → uploaded file; each supersedes the current version."""
    from ipcenter.files.services import attachments_of, store_upload

    from .models import acts_for_case

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以提交补正。"))
    if case.state != PreExamCase.State.NEEDS_CORRECTION:
        raise ValidationError(_("案件当前不需要补正。"))
    unknown = set(files) - set(DOCUMENT_ROLES)
    if unknown or not files:
        raise ValidationError({"files": _("请至少上传一份补正文件。")})
    current = {att.label: att for att in attachments_of(case)}
    with transaction.atomic():
        for role, upload in files.items():
            store_upload(upload, "prescreen.document", user, owner=case, label=role, supersedes=current.get(role))
        case = run_transition(case, "correct", user, note, check_permission=False)
        close_deadlines(case, CORRECTION)
    run_formal_precheck(case)
    if case.examiner_id:
        notify([case.examiner], title=_("申请人已提交补正：%(case)s") % {"case": case}, target=case)
    return case


@on_expiry(CORRECTION)
def terminate_for_missed_correction(deadline):
    """A case whose correction period ran out ends as 终止 (run once per clock by the core's
    deadline sweep).  Returns True if it terminated the case."""
    case = PreExamCase.objects.filter(pk=deadline.object_id, state=PreExamCase.State.NEEDS_CORRECTION).first()
    if case is None:
        return False  # the correction arrived or the case ended otherwise meanwhile
    reason = _("补正期限届满未提交补正，案件终止。")
    try:
        run_transition(case, "terminate", None, reason, check_permission=False,
                       on_change=lambda c: setattr(c, "termination_reason", reason))
    except ValidationError:
        return False
    close_deadlines(case, TURNAROUND, state=Deadline.State.CANCELLED)
    notify([case.filed_by], title=_("预审案件已终止：%(title)s") % {"title": case.title}, body=reason,
           target=case, key=f"prescreen.terminated.{case.pk}")
    return True


# --- CNIPA tracking -------------------------------------------------------------------------

def record_cnipa_filing(case, user, *, application_number, filed_on):
    """After 合格 the applicant records the formal CNIPA application (within the window)."""
    from .models import acts_for_case
    from .validators import application_number_type, validate_application_number

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以登记申请号。"))
    if case.state != PreExamCase.State.QUALIFIED:
        raise ValidationError(_("只有预审合格的案件可以登记正式申请号。"))
    try:
        number = validate_application_number(application_number)
    except ValidationError as exc:
        raise ValidationError({"application_number": exc.messages})
    expected = case.patent_type
    if application_number_type(number) != expected:
        raise ValidationError({"application_number": _("申请号的类型位与本案专利类型（%(type)s）不符。")
                               % {"type": case.get_patent_type_display()}})
    if filed_on is None or filed_on > timezone.localdate() or (case.concluded_at and
                                                               filed_on < timezone.localtime(case.concluded_at).date()):
        raise ValidationError({"filed_on": _("递交日期应在预审合格之后且不晚于今天。")})
    if PreExamCase.objects.exclude(pk=case.pk).filter(cnipa_application_number=number).exists():
        raise ValidationError({"application_number": _("该申请号已被其他案件登记。")})
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        locked.cnipa_application_number, locked.cnipa_filed_on = number, filed_on
        locked.save(update_fields=["cnipa_application_number", "cnipa_filed_on"])
        close_deadlines(locked, CNIPA_FILING)
        record_event(locked, "prescreen.preexamcase.cnipa_filed", user,
                     data={"application_number": number, "filed_on": filed_on.isoformat()})
    return locked


def record_cnipa_outcome(case, user, *, outcome, outcome_date, reasons=""):
    from . import hooks
    from .models import acts_for_case

    if not (acts_for_case(user, case) or is_centre_manager(user)):
        raise PermissionDenied(_("无权登记实审结果。"))
    errors = {}
    if case.cnipa_outcome:
        raise ValidationError({"outcome": _("本案已登记实审结果（%(o)s）。") % {"o": case.get_cnipa_outcome_display()}})
    if not case.cnipa_application_number:
        errors["outcome"] = _("请先登记正式申请号。")
    if outcome not in PreExamCase.CnipaOutcome.values:
        errors["outcome"] = _("请选择实审结果。")
    if outcome_date is None or outcome_date > timezone.localdate() or (
            case.cnipa_filed_on and outcome_date < case.cnipa_filed_on):
        errors["outcome_date"] = _("结果日期应在正式递交之后且不晚于今天。")
    if outcome == PreExamCase.CnipaOutcome.REJECTION and not reasons.strip():
        errors["reasons"] = _("驳回时请填写驳回理由。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.cnipa_outcome:  # recorded meanwhile by someone else
            raise ValidationError({"outcome": _("本案已登记实审结果（%(o)s）。")
                                   % {"o": locked.get_cnipa_outcome_display()}})
        locked.cnipa_outcome, locked.cnipa_outcome_date, locked.cnipa_reasons = outcome, outcome_date, reasons
        locked.save(update_fields=["cnipa_outcome", "cnipa_outcome_date", "cnipa_reasons"])
        record_event(locked, "prescreen.preexamcase.cnipa_outcome", user,
                     params={"o": locked.get_cnipa_outcome_display()}, comment=reasons)
        hooks.cnipa_outcome_recorded.send(sender=PreExamCase, case=locked, actor=user)
    return locked


# --- risk -----------------------------------------------------------------------------------

def failure_figures(organization, today=None):
    """(failed, concluded) pre-exam cases of the entity over the rolling 12 months."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=365)
    concluded = PreExamCase.objects.filter(
        organization=organization, concluded_at__date__gt=since, concluded_at__date__lte=today,
        state__in=[PreExamCase.State.QUALIFIED, PreExamCase.State.UNQUALIFIED])
    failed = concluded.filter(state=PreExamCase.State.UNQUALIFIED).count()
    return failed, concluded.count()


def review_entity_risk(today=None):
    """Suspend (> 50 %) or cancel (> 70 %) registrations by their rolling failure rate, and
    suspend on a 非正常申请 finding in the last 2 years (thresholds configurable).  The
    figures that triggered the action are kept in ``risk_note`` and on the timeline."""
    from dateutil.relativedelta import relativedelta

    from .models import Registration

    today = today or timezone.localdate()
    cfg = PrescreenSettings.load()
    actions = []
    for reg in Registration.objects.filter(state__in=[Registration.State.REGISTERED,
                                                      Registration.State.SUSPENDED]).select_related("organization"):
        failed, total = failure_figures(reg.organization, today)
        rate = failed / total if total else 0.0
        figures = _("近12个月办结 %(total)s 件，不合格 %(failed)s 件，不合格率 %(rate).0f%%。") % {
            "total": total, "failed": failed, "rate": rate * 100}
        if total >= cfg.risk_min_cases and rate > float(cfg.risk_cancel_rate):
            def cancel(locked, note=figures):
                locked.cancelled_on, locked.risk_note = today, note
            run_transition(reg, "cancel", None, _("不合格率超过取消阈值：") + figures, check_permission=False,
                           on_change=cancel)
            actions.append((reg.pk, "cancel"))
            continue
        if reg.state != Registration.State.REGISTERED:
            continue
        abnormal = reg.abnormal_finding_on and reg.abnormal_finding_on > today - relativedelta(years=2)
        if abnormal or (total >= cfg.risk_min_cases and rate > float(cfg.risk_suspend_rate)):
            note = _("两年内存在非正常申请认定。") if abnormal else figures

            def suspend(locked, note=note):
                locked.suspended_until = today + relativedelta(months=cfg.suspension_months)
                locked.risk_note = note
            run_transition(reg, "suspend", None, _("触发风险规则：") + note, check_permission=False,
                           on_change=suspend)
            actions.append((reg.pk, "suspend"))
    return actions


# --- registration (备案) ---------------------------------------------------------------------

def evaluate_eligibility(reg, today=None):
    """DOMAIN.md §1 eligibility, each rule with its result, for the applicant and for staff."""
    from dateutil.relativedelta import relativedelta

    today = today or timezone.localdate()
    fields = list(reg.technical_fields.all()) if reg.pk else []
    rules_ = [
        ("region", _("在自治区内注册"), reg.registered_in_region),
        ("field", _("主营业务属于中心预审技术领域"), bool(fields) and all(f.prescreen_enabled for f in fields)),
        ("age", _("成立满 1 年"), reg.established_on <= today - relativedelta(years=1)),
        ("staff", _("参保职工不少于 5 人"), reg.insured_staff >= 5),
        ("patents", _("拥有发明专利 ≥ 1 件或实用新型/外观设计专利 ≥ 3 件"),
         reg.invention_patents >= 1 or reg.utility_design_patents >= 3),
        ("abnormal", _("近 2 年无非正常申请认定"),
         not (reg.abnormal_finding_on and reg.abnormal_finding_on > today - relativedelta(years=2))),
    ]
    return [{"code": code, "label": str(label), "passed": bool(ok)} for code, label, ok in rules_]


def apply_registration(user, *, technical_fields, **fields):
    """The organisation applies (or re-applies) for 备案; eligibility is evaluated and stored."""
    from dateutil.relativedelta import relativedelta

    from .models import Registration

    org = user.organization
    if org is None or not user.has_role(roles.APPLICANT, roles.AGENCY):
        raise PermissionDenied(_("只有企业或代理机构用户可以申请备案。"))
    require_reviewed_organization(org)
    cfg = PrescreenSettings.load()
    today = timezone.localdate()
    with transaction.atomic():
        existing = Registration.objects.select_for_update().filter(organization=org)
        if existing.exclude(state__in=[Registration.State.RETURNED, Registration.State.CANCELLED]).exists():
            raise ValidationError(_("本单位已有有效或审核中的备案。"))
        barred = existing.filter(state=Registration.State.CANCELLED,
                                 cancelled_on__gt=today - relativedelta(years=cfg.reapply_bar_years)).first()
        if barred:
            raise ValidationError(_("备案于 %(date)s 被取消，%(years)s 年内不得重新申请。")
                                  % {"date": barred.cancelled_on, "years": cfg.reapply_bar_years})
        reg = Registration(organization=org, **fields)
        reg.full_clean(exclude=["eligibility"])
        reg.save()
        reg.technical_fields.set(technical_fields)
        reg.eligibility = evaluate_eligibility(reg, today)
        reg.save(update_fields=["eligibility"])
        record_event(reg, "prescreen.registration.applied", user)
    from ipcenter.notify.services import notify_role

    notify_role(roles.MANAGER, title=_("新的备案申请：%(org)s") % {"org": org}, target=reg)
    return reg


def approve_registration(reg, manager):
    if not is_centre_manager(manager):
        raise PermissionDenied(_("只有中心管理人员可以审核备案。"))
    require_reviewed_organization(reg.organization)
    failed = [r["label"] for r in evaluate_eligibility(reg) if not r["passed"]]
    if failed:
        raise ValidationError(_("不符合备案条件：%(rules)s") % {"rules": "；".join(failed)})

    def on_change(locked):
        locked.decided_at, locked.decided_by = timezone.now(), manager

    reg = run_transition(reg, "approve", manager, on_change=on_change)
    notify(_org_users(reg.organization), title=_("备案已通过：%(org)s") % {"org": reg.organization}, target=reg)
    return reg


def return_registration(reg, manager, reason):
    def on_change(locked):
        locked.return_reason, locked.decided_at, locked.decided_by = reason, timezone.now(), manager

    reg = run_transition(reg, "return", manager, reason, on_change=on_change)
    notify(_org_users(reg.organization), title=_("备案申请被退回：%(org)s") % {"org": reg.organization},
           body=reason, target=reg)
    return reg


def _org_users(organization):
    return organization.members.filter(is_active=True) if organization is not None else []


def suspend_registration(reg, manager, *, reason, until):
    """Staff suspend a registered entity until a date (the entity cannot file meanwhile)."""
    if not is_centre_manager(manager):
        raise PermissionDenied(_("只有中心管理人员可以暂停备案。"))
    if until is None or until <= timezone.localdate():
        raise ValidationError({"until": _("暂停截止日期应晚于今天。")})

    def on_change(locked):
        locked.suspended_until, locked.risk_note = until, reason

    reg = run_transition(reg, "suspend", manager, reason, check_permission=False, on_change=on_change)
    notify(_org_users(reg.organization), title=_("备案已暂停至 %(date)s") % {"date": until}, body=reason,
           target=reg)
    return reg


def reinstate_registration(reg, actor):
    def on_change(locked):
        locked.suspended_until = None

    reg = run_transition(reg, "reinstate", actor, check_permission=actor is not None, on_change=on_change)
    notify(_org_users(reg.organization), title=_("备案已恢复"), target=reg)
    return reg


def cancel_registration(reg, manager, reason):
    """Cancel a registration; the entity may not re-apply for the configured number of years."""
    def on_change(locked):
        locked.cancelled_on, locked.risk_note = timezone.localdate(), reason

    reg = run_transition(reg, "cancel", manager, reason, on_change=on_change)
    notify(_org_users(reg.organization), title=_("备案已取消"), body=reason, target=reg)
    return reg


def reinstate_expired_suspensions(today=None):
    """Suspensions whose end date has passed are lifted (run daily before the risk review)."""
    from .models import Registration

    today = today or timezone.localdate()
    done = 0
    for reg in Registration.objects.filter(state=Registration.State.SUSPENDED, suspended_until__lt=today):
        try:
            reinstate_registration(reg, None)
        except ValidationError:
            continue
        done += 1
    return done


def withdraw_case(case, user, reason):
    """The applicant withdraws an open case; every open clock of the case is cancelled."""
    case = run_transition(case, "withdraw", user, reason,
                          on_change=lambda c: setattr(c, "termination_reason", reason))
    for kind in (TURNAROUND, CORRECTION):
        close_deadlines(case, kind, state=Deadline.State.CANCELLED)
    if case.examiner_id:
        notify([case.examiner], title=_("申请人已撤回案件：%(case)s") % {"case": case}, body=reason, target=case)
    return case


def terminate_case(case, manager, reason):
    case = run_transition(case, "terminate", manager, reason,
                          on_change=lambda c: setattr(c, "termination_reason", reason))
    for kind in (TURNAROUND, CORRECTION):
        close_deadlines(case, kind, state=Deadline.State.CANCELLED)
    notify([case.filed_by], title=_("预审案件已终止：%(title)s") % {"title": case.title}, body=reason,
           target=case, key=f"prescreen.terminated.{case.pk}")
    return case


# --- opinion letter -------------------------------------------------------------------------

LETTER_PURPOSE = "prescreen.opinion_letter"


def opinion_letter(opinion):
    """The stored letter PDF of an issued opinion, rendered and attached on first use.

    Idempotent and safe under concurrency: the opinion row is locked while the letter is
    made, so two workers (or a worker and a download) never attach two letters."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipcenter.files.services import attachments_of, store_upload
    from ipcenter.reports.pdf import render_pdf

    from .models import Opinion

    with transaction.atomic():
        locked = (Opinion.objects.select_for_update(of=("self",))
                  .select_related("case__organization", "case__technical_field", "author").get(pk=opinion.pk))
        if locked.state != Opinion.State.ISSUED:
            raise ValidationError(_("意见尚未签发，没有意见通知书。"))
        existing = attachments_of(locked).filter(purpose=LETTER_PURPOSE).first()
        if existing:
            return existing
        case = locked.case
        cfg = PrescreenSettings.load()
        pdf = render_pdf("prescreen/opinion_letter_pdf.html", {
            "opinion": locked, "case": case, "items": locked.items.select_related("defect_type"),
            "correction_days": cfg.correction_working_days, "cnipa_days": cfg.cnipa_filing_days,
            "correction_due": correction_due_date(locked, cfg),
        })
        name = _("预审意见通知书-%(number)s-第%(n)s轮.pdf") % {"number": case.number or case.pk, "n": locked.round}
        return store_upload(SimpleUploadedFile(name, pdf, "application/pdf"), LETTER_PURPOSE, locked.author,
                            owner=locked, label=_("意见通知书"))


def correction_due_date(opinion, cfg=None):
    """The local date by which the applicant must answer this opinion: the due date of the
    correction clock opened when it was issued, or (no clock found) the same count of working
    days from the issue date on the core calendar."""
    from ipcenter.deadlines.calendar import WorkingCalendar
    from ipcenter.deadlines.services import deadlines_of

    if opinion.conclusion != opinion.Conclusion.NEEDS_CORRECTION or opinion.issued_at is None:
        return None
    clock = (deadlines_of(opinion.case, CORRECTION)
             .filter(created_at__gte=opinion.issued_at - datetime.timedelta(minutes=5))
             .order_by("created_at").first())
    if clock is not None:
        return timezone.localtime(clock.due_at).date()
    cfg = cfg or PrescreenSettings.load()
    return WorkingCalendar().add_working_days(timezone.localdate(opinion.issued_at), cfg.correction_working_days)


def latest_return(opinion):
    """The timeline event of this opinion's latest return — who, when, why (its comment) — or
    ``None`` while it is not returned."""
    from ipcenter.workflow.models import TimelineEvent

    if opinion.state != opinion.State.RETURNED:
        return None
    return (TimelineEvent.objects.for_object(opinion).filter(to_state=opinion.State.RETURNED)
            .select_related("actor").order_by("-pk").first())


def notify_submitted(case):
    from ipcenter.notify.services import notify_role

    notify_role(roles.MANAGER, title=_("新的预审案件待受理：%(title)s") % {"title": case.title}, target=case,
                key=f"prescreen.submitted.{case.pk}")


def delete_defect_item(opinion, user, item_id):
    from .models import DefectItem, Opinion

    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.author_id != user.pk or locked.state not in (Opinion.State.DRAFT, Opinion.State.RETURNED):
            raise PermissionDenied(_("只能修改自己尚未提交的意见。"))
        try:
            DefectItem.objects.filter(opinion=locked, pk=int(item_id)).delete()
        except (TypeError, ValueError):
            raise ValidationError(_("条目不存在。"))



# --- drafts ---------------------------------------------------------------------------------

def create_draft(user, **fields):
    """A new draft case filed by ``user`` (an agency user's agency is recorded)."""
    if not (user.organization_id and user.has_role(roles.APPLICANT, roles.AGENCY)):
        raise PermissionDenied(_("只有企业或代理机构用户可以新建预审案件。"))
    require_reviewed_organization(user.organization)
    if fields.get("organization") is not None:
        require_reviewed_organization(fields["organization"])
    with transaction.atomic():
        case = PreExamCase(filed_by=user, **fields)
        if user.has_role(roles.AGENCY):
            case.agency_id = user.organization_id
        case.save()
        record_event(case, "prescreen.preexamcase.created", user)
    return case


def update_draft(case, user, **fields):
    """Change a draft's details (field-level audit); refused once the case was submitted."""
    from ipcenter.workflow.engine import save_with_audit

    from .models import acts_for_case

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以修改案件。"))
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != PreExamCase.State.DRAFT:
            raise ValidationError(_("案件已提交，不能再修改基本信息。"))
        for name, value in fields.items():
            setattr(locked, name, value)
        save_with_audit(locked, user, list(fields))
    return locked

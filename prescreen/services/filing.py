"""Pre-exam filing: drafts and their documents, the annual quota, the formal pre-check (run in
the background) and submission.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.accounts import roles
from ipcenter.accounts.services import require_reviewed_organization
from ipcenter.workflow.engine import record_event, run_transition

from ..models import PreExamCase, PrescreenSettings
from .risk import flag_near_duplicate


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

    from django.conf import settings
    from django.utils import translation

    from ..precheck import MAX_INPUT_BYTES, ExtractionError, extract_text, run_precheck, unreadable_file

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
            with translation.override(settings.LANGUAGE_CODE):  # a refusal is stored in the source language
                check_container(data, kind_of(att.mime_type), att.original_name)
            docs[att.label].append(extract_text(io.BytesIO(data), att.original_name))
        except ExtractionError as exc:
            problems.append(unreadable_file(att.label, att.original_name, key=exc.key, params=exc.params).as_dict())
        except OSError:
            problems.append(unreadable_file(att.label, att.original_name, key="file_missing").as_dict())
        except ContainerError as exc:
            problems.append(unreadable_file(att.label, att.original_name, text=str(exc)).as_dict())
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

    from .. import tasks

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
        from ..precheck import timeout_finding

        findings = [timeout_finding().as_dict()]
        PreExamCase.objects.filter(pk=case.pk).update(precheck_findings=findings)
    else:
        findings = run_formal_precheck(case)
    cache.set(PRECHECK_STATE_KEY % case.pk, {"digest": digest, "status": PRECHECK_DONE}, PRECHECK_STATE_TTL)
    return findings


def store_draft_documents(case, user, files_by_role, *, replace=True):
    """The filer uploads a draft's documents: ``files_by_role`` maps a document role to one file
    or a list.  A single file for a role becomes the next version of that role's current
    document (``replace``); several are added beside it.  Only a draft's documents change."""
    from ipcenter.files.services import attachments_of, store_upload

    from ..models import acts_for_case

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以修改申请文件。"))
    stored = []
    with transaction.atomic():
        locked = PreExamCase.objects.select_for_update().get(pk=case.pk)
        if locked.state != PreExamCase.State.DRAFT:
            raise ValidationError(_("案件已提交，申请文件不能再修改。"))
        current = {}
        for att in attachments_of(locked):
            current.setdefault(att.label, att)
        for role in DOCUMENT_ROLES:
            value = files_by_role.get(role)
            files = value if isinstance(value, list) else ([value] if value else [])
            for i, f in enumerate(files):
                previous = current.get(role) if replace and i == 0 and len(files) == 1 else None
                stored.append(store_upload(f, "prescreen.document", user, owner=locked, label=role,
                                           supersedes=previous))
    return stored


def remove_draft_document(case, user, attachment_id):
    """The filer removes the current version of one of a draft's documents; the version it
    replaced becomes current again. A submitted case's files are never deleted. Returns the
    removed file's name, or ``None`` when the draft has no such current document (including
    an id that is not an attachment id at all)."""
    from ipcenter.files.services import attachments_of, discard, parse_attachment_id

    from ..models import acts_for_case

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


def filing_errors(case):
    """Why ``case`` cannot be submitted (field → Chinese message); empty when it can."""
    from ..models import Registration

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
    from ..models import Registration, acts_for_case

    if not acts_for_case(user, case):
        raise PermissionDenied(_("只有申请人或其代理机构可以提交预审。"))
    findings = _fresh_precheck_findings(case)
    if findings is None:
        findings = run_formal_precheck(case)
    from ..precheck import shown

    blocking = [shown(f)["message"] for f in findings if f["severity"] == "block"]  # in the filer's language
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


def notify_submitted(case):
    from ipcenter.notify.services import notify_role

    notify_role(roles.MANAGER, title=gettext_lazy("新的预审案件待受理：%(title)s"), title_params={"title": case.title},
                target=case,
                key=f"prescreen.submitted.{case.pk}")


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

    from ..models import acts_for_case

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

"""Pre-exam records built through the services, one step at a time: the demo data
(``prescreen/seed.py``) and the tests (``tests/factories.py``) share these, so a case in any
state carries the timeline, clocks, notifications and files the services give it.  Run a step
under ``ipcenter.demo.clock`` to place it in the past.

Also the readable application documents (DOCX for request/description/abstract from one
python-docx template re-zipped per document, PDF via WeasyPrint with Noto Sans CJK)."""
import datetime
import html
import io
import re
import zipfile

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.deadlines.services import deadlines_of, sweep
from ipcenter.files.services import store_upload

from . import services
from .models import Opinion, PreExamCase

S = PreExamCase.State

# --- documents ---------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: "Noto Sans CJK SC"; font-size: 11pt; line-height: 1.6; }
p { margin: 0 0 0.4em 0; }
.figure { page-break-after: always; text-align: center; }
.figure:last-child { page-break-after: auto; }
.box { width: 8cm; height: 6cm; border: 2px solid #333; margin: 2cm auto 0.5cm auto; }
"""
_PLACEHOLDER = "@@BODY@@"
_docx_template = {}


def pdf_bytes(paragraphs):
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return HTML(string=f"<html><head><style>{_CSS}</style></head><body>{body}</body></html>").write_pdf()


def drawings_pdf_bytes(labels):
    from weasyprint import HTML

    pages = "".join(f'<div class="figure"><div class="box"></div><p>{html.escape(label)}</p></div>'
                    for label in labels)
    return HTML(string=f"<html><head><style>{_CSS}</style></head><body>{pages}</body></html>").write_pdf()


def docx_bytes(paragraphs):
    """A DOCX with one paragraph per item."""
    if not _docx_template:
        import docx

        document = docx.Document()
        document.add_paragraph(_PLACEHOLDER)
        buf = io.BytesIO()
        document.save(buf)
        with zipfile.ZipFile(buf) as zf:
            _docx_template.update({info.filename: zf.read(info) for info in zf.infolist()})
        xml = _docx_template["word/document.xml"].decode()
        para = re.search(r"<w:p>(?:(?!<w:p>).)*?" + _PLACEHOLDER + r".*?</w:p>", xml, re.S).group(0)
        _docx_template["__para__"] = para
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{html.escape(p, quote=False)}</w:t></w:r></w:p>'
                   for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _docx_template.items():
            if name == "__para__":
                continue
            if name == "word/document.xml":
                data = data.decode().replace(_docx_template["__para__"], body).encode()
            zf.writestr(name, data)
    return out.getvalue()




def document_texts(title, topic, short):
    """(description, claims, abstract) paragraphs of an application.  A topic's three forms (a
    preparation method, a process, a test or surface method) claim different things, so one
    company's filings on one topic are not near-duplicates of each other."""
    subject, domain, raw, key, finish, effect = topic
    noun = title[2:]
    if short.endswith("工艺"):
        solution = f"{key}时分段控制温度和时间，在线监测{subject}的质量指标"
        claims = [
            "权利要求书",
            f"1. 一种{noun}，其特征在于，{key}时将温度波动控制在±2℃以内，每30分钟在线检测一次{subject}"
            f"的质量指标，偏离设定值时自动调整物料流量。",
            f"2. 根据权利要求1所述的{short}，其特征在于，所述质量指标为决定{subject}{effect}的指标。",
            f"3. 根据权利要求1或2所述的{short}，其特征在于，{finish}后对每批{subject}留样。",
        ]
    elif short.endswith("方法") and short != "制备方法":
        solution = f"{finish}后取{subject}样品，经前处理后仪器测定，依据标准曲线判定"
        claims = [
            "权利要求书",
            f"1. 一种{noun}，其特征在于，{finish}后取{subject}样品，经前处理后用液相色谱仪测定"
            f"特征组分，依据标准曲线计算含量，判定{subject}是否{effect}。",
            f"2. 根据权利要求1所述的{short}，其特征在于，所述前处理为{raw}时留取的对照样与待测样同步处理。",
            f"3. 根据权利要求1或2所述的{short}，其特征在于，每批{subject}样品平行测定三次。",
        ]
    else:
        solution = f"{raw}；{key}；{finish}"
        claims = [
            "权利要求书",
            f"1. 一种{noun}，其特征在于，包括以下步骤：S1，{raw}；S2，{key}；S3，{finish}。",
            f"2. 根据权利要求1所述的{short}，其特征在于，步骤S1之前还包括对原料进行检验的步骤。",
            f"3. 根据权利要求1或2所述的{short}，其特征在于，步骤S3得到的产品{effect}。",
        ]
    description = [
        "说明书", title, "技术领域", f"[0001] 本发明涉及{domain}技术领域，具体涉及{noun}。",
        "背景技术", f"[0002] 现有的{subject}生产中工艺稳定性不足，产品质量波动较大，难以满足规模化生产的要求。",
        "发明内容", f"[0003] 本发明的目的是提供{noun}，以解决上述问题。",
        f"[0004] 本发明的技术方案包括：{solution}。",
        "附图说明", "[0005] 图1是本发明实施例的流程示意图；", "[0006] 图2是本发明实施例与对比例的对比图。",
        "具体实施方式", f"[0007] 如图1所示，实施例1中{solution}。",
        f"[0008] 如图2所示，与对比例相比，本发明{effect}。",
    ]
    abstract = ["说明书摘要", f"本发明公开了{noun}：{solution}。本发明{effect}。"]
    return description, claims, abstract


DRAWING_LABELS = ["图1", "图2"]
_drawings = {}
_texts = {}


def application_files(title, topic, short, *, applicant, inventors, pdf_claims=True):
    """{role: (file name, bytes)} of a formally clean application; ``topic`` is
    (subject, domain, raw step, key step, finishing step, effect).  Claims as PDF take
    ~0.1 s to render, as DOCX a few ms (rendered texts are cached per title)."""
    key = (title, pdf_claims)
    if key not in _texts:
        description, claims, abstract = document_texts(title, topic, short)
        _texts[key] = {
            "description": ("说明书.docx", docx_bytes(description)),
            "claims": ("权利要求书.pdf", pdf_bytes(claims)) if pdf_claims else ("权利要求书.docx", docx_bytes(claims)),
            "abstract": ("说明书摘要.docx", docx_bytes(abstract)),
        }
    if "drawings" not in _drawings:
        _drawings["drawings"] = ("说明书附图.pdf", drawings_pdf_bytes(DRAWING_LABELS))
    files = {"request": ("请求书.docx", docx_bytes(["发明专利请求书", f"发明名称：{title}", f"申请人：{applicant}",
                                                 f"发明人：{inventors}"]))}
    files.update(_texts[key])
    files["drawings"] = _drawings["drawings"]
    return files


SAMPLE_TOPIC = ("稀土抛光粉", "稀土功能材料", "将碳酸铈与氟化物按比例混合", "在950℃下焙烧4小时",
                "经分级研磨得到D50为1.2微米的抛光粉", "切削力强、划伤少")


# --- steps -------------------------------------------------------------------------------------

def draft(filer, *, title, technical_field, files, organization=None, inventors="张三；李四", **fields):
    """A draft filed by ``filer`` for ``organization`` (default: the filer's) with its
    documents uploaded (``files``: role → (name, bytes))."""
    organization = organization or filer.organization
    case = services.create_draft(filer, organization=organization, title=title, technical_field=technical_field,
                                 applicants=fields.pop("applicants", organization.name), inventors=inventors,
                                 **fields)
    for role, (name, data) in files.items():
        store_upload(SimpleUploadedFile(name, data), "prescreen.document", filer, owner=case, label=role)
    return case


def take(case, examiner, manager=None):
    """The examiner claims the accepted case, or ``manager`` assigns it to them."""
    if manager is None:
        return services.claim_case(case, examiner)
    services.assign_case(case, examiner, manager)
    case.refresh_from_db()
    return case


def release_held(opinion):
    """When the quality app holds a submitted opinion for its 互检, a colleague of the field
    takes the peer check and passes it (the opinion is then issued)."""
    opinion.refresh_from_db()
    if opinion.state != Opinion.State.SUBMITTED or not apps.is_installed("prescreen.quality"):
        return opinion
    from prescreen.quality import services as quality

    check = opinion.quality_checks.filter(level="peer", state="open").first()
    if check is not None:
        if check.reviewer_id is None:
            check = quality.take_peer_check(check, quality.peer_candidates(opinion).first())
        quality.complete_check(check, check.reviewer, outcome="pass")
    opinion.refresh_from_db()
    return opinion


def opinion(case, examiner, *, conclusion=None, items=(), reasons=""):
    """The examiner writes this round's opinion with ``items`` ((defect type, location, text,
    suggestion) each); with a ``conclusion`` it is submitted and, past its peer check, issued."""
    op = services.start_opinion(case, examiner)
    for defect_type, location, text, suggestion in items:
        services.add_defect_item(op, examiner, defect_type=defect_type, location=location, text=text,
                                 suggestion=suggestion)
    if conclusion:
        services.submit_opinion(op, examiner, conclusion=conclusion, reasons=reasons)
        op = release_held(op)
    case.refresh_from_db()
    return op


def lapse_correction(case):
    """Let the case's correction period run out: the core's deadline sweep at a moment after
    its due date runs the expiry handler (the case ends as 终止)."""
    due = (deadlines_of(case, services.CORRECTION, pending=True).order_by("-due_at")
           .values_list("due_at", flat=True).first())
    if case.state != S.NEEDS_CORRECTION or due is None:
        raise ValueError(f"{case} is not waiting for a correction")
    sweep(now=max(timezone.now(), due + datetime.timedelta(minutes=1)))
    case.refresh_from_db()
    return case


def _defect_items():
    from .models import DefectType

    first = DefectType.objects.order_by("pk").first()
    return [(first, "权利要求 1", "权利要求1中的温度范围概括过宽。", "将温度范围限缩至实施例支持的范围。")]


def case_in(state, *, filer, manager, examiner=None, organization=None, title="一种稀土抛光粉及其制备方法",
            technical_field=None, files=None, **fields):
    """A new case driven through the services to ``state`` (the shortest path there):
    submitted, accepted by ``manager``, claimed by ``examiner``, an opinion issued, withdrawn
    (终止) … The filer's organisation must be registered; the examiner must hold the field."""
    organization = organization or filer.organization
    field = technical_field or (examiner.technical_fields.order_by("pk").first() if examiner else None)
    if field is None:
        from ipcenter.accounts.models import TechnicalField

        field = TechnicalField.objects.get(code="new-materials")
    files = files or application_files(title, SAMPLE_TOPIC, "制备方法", applicant=organization.name,
                                       inventors="张三；李四", pdf_claims=False)
    case = draft(filer, title=title, technical_field=field, files=files, organization=organization, **fields)
    if state == S.DRAFT:
        return case
    case = services.submit_case(case, filer)
    if state == S.SUBMITTED:
        return case
    if state == S.REFUSED:
        return services.refuse_case(case, manager, "该申请为分案申请，不属于预审受理范围。")
    case = services.accept_case(case, manager)
    if state == S.ACCEPTED:
        return case
    if state == S.TERMINATED:
        return services.withdraw_case(case, filer, "申请人调整技术方案，主动撤回。")
    if examiner is None:
        raise ValueError(f"a case in state {state} needs an examiner")
    case = take(case, examiner, manager)
    if state == S.EXAMINING:
        return case
    conclusion = {S.NEEDS_CORRECTION: Opinion.Conclusion.NEEDS_CORRECTION, S.QUALIFIED: Opinion.Conclusion.QUALIFIED,
                  S.UNQUALIFIED: Opinion.Conclusion.UNQUALIFIED}[state]
    opinion(case, examiner, conclusion=conclusion,
            items=_defect_items() if state == S.NEEDS_CORRECTION else (),
            reasons="对比文件1公开了权利要求1的全部技术特征，预审不合格。" if state == S.UNQUALIFIED else "")
    case.refresh_from_db()
    return case


# --- registration --------------------------------------------------------------------------------

def register(user, *, technical_fields, approve_by=None, return_by=None, reason="", **details):
    """The user's organisation applies for 备案 (``details``: established_on, insured_staff,
    patents, contact …); ``approve_by`` approves it, ``return_by`` returns it with ``reason``."""
    details.setdefault("contact_name", user.display_name or "联系人")
    details.setdefault("contact_phone", "0471-6600000")
    reg = services.apply_registration(user, technical_fields=technical_fields, **details)
    if approve_by is not None:
        reg = services.approve_registration(reg, approve_by)
    elif return_by is not None:
        reg = services.return_registration(reg, return_by, reason)
    return reg

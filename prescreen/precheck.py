"""Automatic formal pre-check of patent application documents (自动形式预检).

`extract_text` turns an uploaded PDF / DOCX / image into an `ExtractedDoc`; `run_precheck` applies the
formal rules to the documents of a case and returns `Finding`s, each with a code, its parameters and the
exact place (权利要求 n, 说明书 第[0012]段 / 第n段, 附图 图n, 摘要, 发明名称). The texts are the templates of
`MESSAGES` and `PLACES`: a stored finding keeps the Chinese text and its parameters, and `shown` renders
it in the viewer's language (a finding stored before the parameters were kept shows its stored text).

Figure numbering: a label such as "图3a"/"图3A" is a sub-figure of figure 3 and is normalised to "3a".
A reference to "图3" is satisfied by any drawn sub-figure "3a", "3b", …, and a drawn "图3" page
satisfies references to its sub-figures "图3a"; otherwise references and drawings must match exactly.
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

ROLE_LABELS = {
    "request": _("请求书"),
    "description": _("说明书"),
    "claims": _("权利要求书"),
    "abstract": _("说明书摘要"),
    "drawings": _("说明书附图"),
}

# The message of each finding (by its message key: the finding's code, or a variant of it);
# parameters are plain values, ``role`` a document role shown by its label.
MESSAGES = {
    "missing_document": _("缺少必需的申请文件：%(role)s。"),
    "document_without_text": _("未能从%(role)s中提取到文字，无法自动检查，请上传可复制文字的PDF或DOCX文件。"),
    "title_too_long": _("发明名称共%(length)s个字，超过%(limit)s个字的限制。"),
    "title_forbidden_word": _("发明名称中含有不宜使用的词语“%(word)s”（商业性宣传用语、商标或含义不确定的用语）。"),
    "abstract_too_long": _("摘要文字部分共%(length)s个字，超过%(limit)s个字的限制。"),
    "claims_not_numbered": _("权利要求书中未识别到编号的权利要求，权利要求应以阿拉伯数字顺序编号（如“1.”）。"),
    "claims_numbering.first": _("权利要求应从1开始编号，第一项权利要求的编号为%(number)s。"),
    "claims_numbering": _("权利要求编号不连续：权利要求%(previous)s之后应为权利要求%(expected)s，实际为权利要求%(number)s。"),
    "claims_forward_reference": _("权利要求%(number)s引用了权利要求%(refs)s；从属权利要求只能引用在前的权利要求。"),
    "claims_forbidden_word": _("权利要求%(number)s中含有含义不确定或不宜使用的词语“%(word)s”。"),
    "drawing_unlabelled": _("无法识别附图文件“%(name)s”中的图号，请在附图下方标注“图1”等图号，或将图片文件命名为“图1.png”等。"),
    "figure_missing": _("说明书提到了图%(fig)s，但说明书附图中没有图%(fig)s。"),
    "figure_not_referenced": _("说明书附图中的图%(fig)s在说明书中没有被提及（附图说明中应逐一说明各幅附图）。"),
    # a file that could not be read (code ``unreadable``) and a check that ran out of time
    "file_too_large": _("文件超过%(mb)s MB，未做自动检查。"),
    "unsupported_type": _("不支持的文件类型“%(ext)s”，请上传PDF、DOCX或图片文件。"),
    "pdf_unreadable": _("无法读取该PDF文件，请确认文件未损坏且未加密。"),
    "docx_unreadable": _("无法读取该Word文件，请上传有效的DOCX文件。"),
    "file_missing": _("文件已不在存储中，请重新上传。"),
    "precheck_timeout": _("自动形式预检超时未完成，请检查文件是否过大或损坏；提交时将再次检查。"),
}
# Where a finding is, by place code.
PLACES = {
    "role": "%(role)s",
    "title": _("发明名称"),
    "abstract": _("摘要"),
    "claim": _("权利要求 %(number)s"),
    "paragraph_mark": _("说明书 第[%(mark)s]段"),
    "paragraph": _("说明书 第%(number)s段"),
    "figure": _("附图 图%(fig)s"),
    "drawing_file": _("附图 %(name)s"),
    "file": "%(name)s",
    "all_files": _("全部文件"),
}
REQUIRED_ROLES = ("request", "description", "claims", "abstract")

# A sensible default for the editable forbidden-word list: vague terms and trade-mark marks.
DEFAULT_FORBIDDEN_WORDS = [
    "等", "及其类似", "或类似物", "及其他", "左右", "约", "大约", "接近", "例如", "最好是",
    "尤其是", "必要时", "®", "™",
]
# Ordinary compounds that contain a short vague term but are not vague themselves
# ("约束" is not "约", "等于" is not "等"); an occurrence inside one of these is not a finding.
DEFAULT_ALLOWED_COMPOUNDS = {
    "等": [
        "等于", "相等", "等同", "等效", "等待", "等级", "等离子", "均等", "平等", "对等", "同等",
        "不等", "等分", "等距", "等径", "等温", "等压", "等比", "等价", "等量", "等边", "等腰",
        "等厚", "等宽", "等高", "等间距", "初等", "中等", "上等", "高等", "次等", "优等", "等号",
        "等速", "等候", "等长", "等角", "等值", "等电位", "等轴",
    ],
    "约": ["约束", "约定", "节约", "契约", "制约", "合约", "简约", "预约", "约简", "约化", "公约", "约分"],
    "左右": ["左右两", "左右对称", "左右侧", "左右方向", "左右移动", "左右摆动", "左右各", "左右相对"],
    "接近": ["接近开关", "接近传感器", "接近式"],
}

# What one document may cost the pre-check: bytes read, pages parsed, characters extracted.
# (Uploads are checked for what they expand to before they are stored; these caps bound the
# work even for a file that got past that check.)
MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_PAGES = 1000
MAX_TEXT_CHARS = 2_000_000

IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}


class ExtractionError(ValueError):
    """The file could not be read; the message is Chinese and safe to show to the user, ``key``
    and ``params`` say it again for `MESSAGES`."""

    def __init__(self, key: str, **params):
        self.key, self.params = key, params
        super().__init__(source_text(MESSAGES[key], params))


@dataclass
class ExtractedDoc:
    text: str
    paragraphs: list[str]
    figures: list[str]
    pages: int
    filename: str = ""


def _render(template, params) -> str:
    """``template`` with ``params`` in the active language (a ``role`` by its label)."""
    values = {k: ROLE_LABELS.get(v, v) if k == "role" else v for k, v in (params or {}).items()}
    return str(template) % values


def source_text(template, params=None) -> str:
    """The text in the source language (Chinese), whatever language is active."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _render(template, params)


@dataclass
class Finding:
    code: str
    severity: str  # "block" | "warn"
    document: str  # document role: request / description / claims / abstract / drawings / title
    params: dict  # plain values for the message template
    place: str  # a key of PLACES
    place_params: dict = field(default_factory=dict)
    message_key: str = ""  # a key of MESSAGES when not the code; "" with ``text``: a fixed text
    text: str = ""  # a message that has no template (a file refused by the container check)

    @property
    def message(self) -> str:
        key = self.message_key or self.code
        return source_text(MESSAGES[key], self.params) if key in MESSAGES else self.text

    @property
    def location(self) -> str:
        return source_text(PLACES[self.place], self.place_params)

    def as_dict(self) -> dict:
        """What is stored: the Chinese text (read as it is by the API and by older readers)
        with the message key and parameters `shown` renders it from."""
        stored = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "document": self.document,
            "location": self.location,
            "place": self.place,
            "place_params": self.place_params,
        }
        key = self.message_key or self.code
        if key in MESSAGES:
            stored.update(message_key=key, params=self.params)
        return stored


def shown(finding: dict) -> dict:
    """A stored finding with its message and location in the active language; one stored
    without its parameters (or with a key this version does not know) keeps its text."""
    message, location = finding.get("message", ""), finding.get("location", "")
    key = finding.get("message_key")
    if key in MESSAGES and isinstance(finding.get("params"), dict):
        try:
            message = _render(MESSAGES[key], finding["params"])
        except (KeyError, TypeError, ValueError):
            pass
    if finding.get("place") in PLACES and isinstance(finding.get("place_params"), dict):
        try:
            location = _render(PLACES[finding["place"]], finding["place_params"])
        except (KeyError, TypeError, ValueError):
            pass
    return {**finding, "message": message, "location": location}


def unreadable_file(role: str, filename: str, *, key: str = "", params=None, text: str = "") -> Finding:
    """A document of ``role`` that could not be checked: ``key`` of `MESSAGES` with its
    parameters, or a fixed ``text``."""
    return Finding("unreadable", "warn", role, dict(params or {}), "file", {"name": filename},
                   message_key=key, text=text)


def timeout_finding() -> Finding:
    return Finding("precheck_timeout", "warn", "", {}, "all_files")


# --------------------------------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------------------------------

_FIG_REF = re.compile(r"图\s*(\d+)\s*([a-zA-Z](?![a-zA-Z]))?")
_FIG_RANGE = re.compile(r"图\s*(\d+)\s*([a-zA-Z])?\s*(?:-|~|～|—|–|至|到)\s*(?:图\s*)?(\d+)\s*([a-zA-Z](?![a-zA-Z]))?")
_FIG_LABEL_LINE = re.compile(r"^\s*(?:附)?图\s*(\d+)\s*([a-zA-Z])?(?:\s+[^。，；：,;:]{0,20})?\s*$")
_FIG_FILENAME = re.compile(r"(?:图|fig(?:ure)?)[\s_\-.]*(\d+)\s*([a-zA-Z])?(?![a-zA-Z])", re.IGNORECASE)


def normalise(text: str) -> str:
    """NFKC: full-width digits and punctuation ("１．", "［００１２］") become ASCII."""
    return unicodedata.normalize("NFKC", text or "")


def figure_id(number, suffix=None) -> str:
    return f"{int(number)}{(suffix or '').lower()}"


def _figure_sort_key(fig: str):
    m = re.match(r"(\d+)(.*)", fig)
    return (int(m.group(1)), m.group(2)) if m else (10**9, fig)


def figure_references(text: str) -> list[str]:
    """Figures referenced in running text, in order of first mention ("图1-3" expands to 1, 2, 3)."""
    text = normalise(text)
    found: list[str] = []
    consumed: list[tuple[int, int]] = []
    for m in _FIG_RANGE.finditer(text):
        start, end = int(m.group(1)), int(m.group(3))
        if m.group(2) or m.group(4) or not (start < end <= start + 50):
            continue
        found.extend(figure_id(n) for n in range(start, end + 1))
        consumed.append(m.span())
    for m in _FIG_REF.finditer(text):
        if any(a <= m.start() < b for a, b in consumed):
            continue
        found.append(figure_id(m.group(1), m.group(2)))
    seen, ordered = set(), []
    for fig in found:
        if fig not in seen:
            seen.add(fig)
            ordered.append(fig)
    return ordered


def figure_labels(paragraphs: list[str]) -> list[str]:
    """Figure captions standing on their own line ("图1", "图 2", "图3a 局部放大图")."""
    labels = []
    for para in paragraphs:
        for line in normalise(para).splitlines():
            m = _FIG_LABEL_LINE.match(line)
            if m:
                labels.append(figure_id(m.group(1), m.group(2)))
    return sorted(set(labels), key=_figure_sort_key)


def figure_from_filename(filename: str) -> list[str]:
    stem = normalise(os.path.splitext(os.path.basename(filename or ""))[0])
    m = _FIG_FILENAME.search(stem)
    if m:
        return [figure_id(m.group(1), m.group(2))]
    m = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z])?\s*", stem)
    if m:
        return [figure_id(m.group(1), m.group(2))]
    return []


def _figure_satisfied(ref: str, available: set[str]) -> bool:
    if ref in available:
        return True
    base = re.match(r"\d+", ref).group(0)
    if ref == base:  # "图3" is satisfied by a drawn sub-figure 3a, 3b …
        return any(re.match(r"\d+", fig).group(0) == base for fig in available)
    return base in available  # "图3a" is satisfied by a drawing labelled "图3"


# --------------------------------------------------------------------------------------------------
# Extraction
# --------------------------------------------------------------------------------------------------

def extract_text(fileobj, filename: str) -> ExtractedDoc:
    """Text, paragraphs, figure labels and page count of an uploaded PDF, DOCX or image."""
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in IMAGE_EXTENSIONS:
        return ExtractedDoc(text="", paragraphs=[], figures=figure_from_filename(filename), pages=1,
                            filename=filename)
    data = fileobj.read(MAX_INPUT_BYTES + 1) if hasattr(fileobj, "read") else bytes(fileobj)
    if len(data) > MAX_INPUT_BYTES:
        raise ExtractionError("file_too_large", mb=MAX_INPUT_BYTES // (1024 * 1024))
    if hasattr(fileobj, "seek"):
        try:
            fileobj.seek(0)
        except (OSError, ValueError):
            pass
    if ext == ".pdf" or data[:5] == b"%PDF-":
        doc = _extract_pdf(data)
    elif ext == ".docx" or data[:2] == b"PK":
        doc = _extract_docx(data)
    else:
        raise ExtractionError("unsupported_type", ext=ext or filename)
    doc.filename = filename
    return doc


_PARA_START = re.compile(r"^\s*(?:\[\d{3,5}\]|\d+\s*[.、:](?!\d)|(?:附)?图\s*\d+[a-zA-Z]?\s*$)")
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*\d+\s*-|\d+|第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_SENTENCE_END = ("。", "：", ":", "；", ";", "！", "？")


def _pdf_paragraphs(pages: list[list[str]]) -> list[str]:
    """Re-join wrapped PDF lines: a paragraph starts at a [00xx] / claim number / figure label, after
    a line that ends a sentence and after a clearly short line (heading, last line); a paragraph may
    continue over a page break."""
    paragraphs: list[str] = []
    current, current_short = "", False
    for lines in pages:
        # page numbers / running footers are not text
        lines = [line.strip() for line in lines if not _PAGE_NUMBER.match(normalise(line))]
        full = max((len(line) for line in lines), default=0)
        for line in lines:
            if not line:
                if current:
                    paragraphs.append(current)
                current = ""
                continue
            starts_new = bool(_PARA_START.match(normalise(line)))
            if current and (starts_new or current_short or current.endswith(_SENTENCE_END)
                            or _FIG_LABEL_LINE.match(normalise(current))):
                paragraphs.append(current)
                current = line
            else:
                current = current + line if current else line
            current_short = len(line) < 0.75 * full
    if current:
        paragraphs.append(current)
    return paragraphs


def _extract_pdf(data: bytes) -> ExtractedDoc:
    import pdfplumber

    try:
        page_texts, chars = [], 0
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages):
                if number >= MAX_PAGES or chars > MAX_TEXT_CHARS:
                    break
                text = (page.extract_text() or "")[:MAX_TEXT_CHARS - chars + 1]
                chars += len(text)
                page_texts.append(text)
                page.close()  # drop the page's parsed objects
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractionError("pdf_unreadable") from exc
    page_labels: list[str] = []
    for text in page_texts:
        page_labels.extend(figure_labels(text.splitlines()))
    paragraphs = _pdf_paragraphs([text.splitlines() for text in page_texts])
    return ExtractedDoc(
        text="\n".join(paragraphs),
        paragraphs=paragraphs,
        figures=sorted(set(page_labels), key=_figure_sort_key),
        pages=len(page_texts),
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _DocxNumbering:
    """Renders Word automatic numbering ("%1.", "[000%1]") so numbered claims/paragraphs keep their numbers."""

    def __init__(self, document):
        self.document = document
        self.counters: dict[tuple[str, int], int] = {}
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}
        try:
            numbering = document.part.numbering_part.element
        except Exception:
            numbering = None
        if numbering is None:
            return
        abstract = {}
        for an in numbering.findall(f"{_W}abstractNum"):
            lvls = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                start = lvl.find(f"{_W}start")
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                lvls[ilvl] = (
                    int(start.get(f"{_W}val")) if start is not None else 1,
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "%1.",
                )
            abstract[an.get(f"{_W}abstractNumId")] = lvls
        for num in numbering.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.levels[(num.get(f"{_W}numId"), ilvl)] = spec

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        style = paragraph.style
        while num_pr is None and style is not None:
            sppr = style.element.find(f"{_W}pPr")
            num_pr = sppr.find(f"{_W}numPr") if sppr is not None else None
            style = style.base_style
        return num_pr

    def prefix(self, paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id_el = num_pr.find(f"{_W}numId")
        ilvl_el = num_pr.find(f"{_W}ilvl")
        if num_id_el is None or num_id_el.get(f"{_W}val") == "0":
            return ""
        key = (num_id_el.get(f"{_W}val"), int(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else 0)
        start, fmt, text = self.levels.get(key, (1, "decimal", "%1."))
        if fmt not in ("decimal", "decimalZero"):
            return ""
        self.counters[key] = self.counters.get(key, start - 1) + 1
        number = str(self.counters[key])
        if fmt == "decimalZero":
            number = number.zfill(2)
        rendered = text.replace(f"%{key[1] + 1}", number)
        # "[000%1]" → keep four digits once the counter passes 9
        rendered = re.sub(r"\[(0*)(\d+)\]", lambda m: "[%s]" % m.group(2).zfill(max(4, len(m.group(2)))), rendered)
        return rendered + " "


def _extract_docx(data: bytes) -> ExtractedDoc:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise ExtractionError("docx_unreadable") from exc
    numbering = _DocxNumbering(document)
    paragraphs, chars = [], 0
    for para in document.paragraphs:
        if chars > MAX_TEXT_CHARS:
            break
        prefix = numbering.prefix(para)
        text = para.text.strip()
        if text:
            paragraphs.append(prefix + text)
            chars += len(text)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for para in cell.paragraphs:
                    if chars > MAX_TEXT_CHARS:
                        break
                    if para.text.strip():
                        paragraphs.append(para.text.strip())
                        chars += len(paragraphs[-1])
    sections = max(1, len(document.sections))
    page_breaks = sum(
        1 for p in document.paragraphs for br in p._p.iter(f"{_W}br") if br.get(f"{_W}type") == "page"
    )
    return ExtractedDoc(
        text="\n".join(paragraphs),
        paragraphs=paragraphs,
        figures=figure_labels(paragraphs),
        pages=sections + page_breaks,
    )


# --------------------------------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------------------------------

_CLAIM_START = re.compile(r"^\s*([0-9０-９]{1,3})\s*[.、:．：](?![0-9０-９])\s*")
_CLAIM_REF = re.compile(
    r"权利要求\s*(\d+(?:\s*(?:-|~|～|—|–|至|到|、|,|或者|或|和|及|与|以及)\s*(?:权利要求\s*)?\d+)*)"
)
_RANGE_SEP = re.compile(r"(\d+)\s*(?:-|~|～|—|–|至|到)\s*(?:权利要求\s*)?(\d+)")


@dataclass
class Claim:
    number: int
    text: str
    references: list[int] = field(default_factory=list)


def claim_references(text: str) -> list[int]:
    """Claims a claim refers to: "根据权利要求1所述", "如权利要求1或2所述", "权利要求1-3任一项",
    "权利要求1至3中任一项", "权利要求1、3或5"."""
    refs: list[int] = []
    for m in _CLAIM_REF.finditer(normalise(text)):
        chunk = m.group(1)
        for a, b in _RANGE_SEP.findall(chunk):
            a, b = int(a), int(b)
            if a <= b <= a + 200:
                refs.extend(range(a, b + 1))
            else:
                refs.extend([a, b])
        rest = _RANGE_SEP.sub(" ", chunk)
        refs.extend(int(n) for n in re.findall(r"\d+", rest))
    return sorted(set(refs))


def parse_claims(paragraphs: list[str]) -> list[Claim]:
    """Split claim text into numbered claims ("1. 一种…", "1、", "１．"); unnumbered lines continue the
    previous claim; text before the first number (the heading "权利要求书") is ignored."""
    claims: list[Claim] = []
    for para in paragraphs:
        for line in para.splitlines():
            m = _CLAIM_START.match(line)
            if m:
                claims.append(Claim(number=int(normalise(m.group(1))), text=line[m.end():].strip()))
            elif claims and line.strip():
                claims[-1].text += line.strip()
    for claim in claims:
        claim.references = claim_references(claim.text)
    return claims


# --------------------------------------------------------------------------------------------------
# Forbidden words
# --------------------------------------------------------------------------------------------------

def find_forbidden_words(text: str, words, allowed_compounds=None) -> list[str]:
    """Forbidden words that occur in text outside the allowed ordinary compounds, in list order."""
    allowed = DEFAULT_ALLOWED_COMPOUNDS if allowed_compounds is None else allowed_compounds
    text = normalise(text)
    hits = []
    for word in words:
        word = normalise(str(word)).strip()
        if not word:
            continue
        covered = set()
        for compound in allowed.get(word, []):
            for m in re.finditer(re.escape(compound), text):
                offset = compound.find(word)
                while offset >= 0:
                    covered.add(m.start() + offset)
                    offset = compound.find(word, offset + 1)
        if any(m.start() not in covered for m in re.finditer(re.escape(word), text)):
            hits.append(word)
    return hits


# --------------------------------------------------------------------------------------------------
# Locations
# --------------------------------------------------------------------------------------------------

_PARA_MARK = re.compile(r"^\s*\[(\d{3,5})\]")


def paragraph_place(paragraphs: list[str], index: int) -> tuple[str, dict]:
    """"说明书 第[0012]段" when the paragraph carries its number, otherwise "说明书 第n段" (1-based):
    the place code and its parameters."""
    m = _PARA_MARK.match(normalise(paragraphs[index]))
    if m:
        return "paragraph_mark", {"mark": m.group(1)}
    return "paragraph", {"number": index + 1}


def paragraph_location(paragraphs: list[str], index: int) -> str:
    place, params = paragraph_place(paragraphs, index)
    return source_text(PLACES[place], params)


def _text_length(text: str) -> int:
    return len(re.sub(r"\s", "", normalise(text)))


def _abstract_body(paragraphs: list[str]) -> str:
    body = [p for p in paragraphs if p.strip()]
    if body and normalise(body[0]).strip().replace(" ", "") in ("摘要", "说明书摘要"):
        body = body[1:]
    return "".join(body)


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------

def run_precheck(
    docs: dict[str, list[ExtractedDoc]],
    *,
    title: str,
    forbidden_words: list[str],
    abstract_limit: int = 300,
    title_limit: int = 25,
    required_roles=REQUIRED_ROLES,
    allowed_compounds=None,
) -> list[Finding]:
    """Formal findings for a case's documents. Missing required documents block submission; every
    other finding is a warning. `required_roles` lets the caller require drawings (utility models)."""
    findings: list[Finding] = []
    docs = {role: [d for d in (items or []) if d is not None] for role, items in (docs or {}).items()}

    # 1. required documents
    for role in required_roles:
        if not docs.get(role):
            findings.append(Finding("missing_document", "block", role, {"role": role}, "role", {"role": role}))
        elif role != "drawings" and not any(d.text.strip() for d in docs[role]):
            findings.append(Finding("document_without_text", "warn", role, {"role": role}, "role", {"role": role}))

    # 2. title
    title = (title or "").strip()
    if title:
        length = _text_length(title)
        if length > title_limit:
            findings.append(Finding("title_too_long", "warn", "title", {"length": length, "limit": title_limit},
                                    "title"))
        for word in find_forbidden_words(title, forbidden_words, allowed_compounds):
            findings.append(Finding("title_forbidden_word", "warn", "title", {"word": word}, "title"))

    # 3. abstract
    abstract_paragraphs = [p for d in docs.get("abstract", []) for p in d.paragraphs]
    if abstract_paragraphs:
        length = _text_length(_abstract_body(abstract_paragraphs))
        if length > abstract_limit:
            findings.append(Finding("abstract_too_long", "warn", "abstract",
                                    {"length": length, "limit": abstract_limit}, "abstract"))

    # 4. claims: numbering, dependencies, forbidden words
    claim_paragraphs = [p for d in docs.get("claims", []) for p in d.paragraphs]
    claims = parse_claims(claim_paragraphs)
    if claim_paragraphs and not claims:
        findings.append(Finding("claims_not_numbered", "warn", "claims", {}, "role", {"role": "claims"}))
    expected = 1
    for claim in claims:
        if claim.number != expected:
            findings.append(Finding(
                "claims_numbering", "warn", "claims",
                {"previous": expected - 1, "expected": expected, "number": claim.number},
                "claim", {"number": claim.number}, message_key="claims_numbering.first" if expected == 1 else "",
            ))
        expected = claim.number + 1
    for claim in claims:
        later = [n for n in claim.references if n >= claim.number]
        if later:
            findings.append(Finding(
                "claims_forward_reference", "warn", "claims",
                {"number": claim.number, "refs": "、".join(str(n) for n in later)}, "claim", {"number": claim.number},
            ))
        for word in find_forbidden_words(claim.text, forbidden_words, allowed_compounds):
            findings.append(Finding("claims_forbidden_word", "warn", "claims", {"number": claim.number, "word": word},
                                    "claim", {"number": claim.number}))

    # 5. figures: description references vs drawings, both directions
    description_paragraphs = [p for d in docs.get("description", []) for p in d.paragraphs]
    first_reference: dict[str, int] = {}
    for index, para in enumerate(description_paragraphs):
        for fig in figure_references(para):
            first_reference.setdefault(fig, index)
    drawings = docs.get("drawings", [])
    drawn: set[str] = set()
    unlabelled = []
    for d in drawings:
        figs = list(d.figures) or figure_references(d.text)
        drawn.update(figs)
        if not figs:
            unlabelled.append(d)
    for d in unlabelled:
        name = d.filename or "附图文件"
        findings.append(Finding("drawing_unlabelled", "warn", "drawings", {"name": name}, "drawing_file",
                                {"name": name}))
    if (drawings or first_reference) and not unlabelled:
        for fig in sorted(first_reference, key=_figure_sort_key):
            if not _figure_satisfied(fig, drawn):
                place, place_params = paragraph_place(description_paragraphs, first_reference[fig])
                findings.append(Finding("figure_missing", "warn", "description", {"fig": fig}, place, place_params))
    if drawings:
        referenced = set(first_reference)
        for fig in sorted(drawn, key=_figure_sort_key):
            if not _figure_satisfied(fig, referenced):
                findings.append(Finding("figure_not_referenced", "warn", "drawings", {"fig": fig}, "figure",
                                        {"fig": fig}))
    return findings


def has_blocking(findings: list[Finding]) -> bool:
    return any(f.severity == "block" for f in findings)

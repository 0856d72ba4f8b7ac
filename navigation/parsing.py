"""Reading patent-database exports: encodings, header auto-detection for the Lens,
Google Patents and Chinese-database families, cell parsing (dates, numbers,
multi-values), applicant normalisation, legal status and region."""
import codecs
import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext_noop

# The fields of a patent record, in the order the mapping form shows them.
FIELDS = [
    ("publication_number", "公开（公告）号"),
    ("application_number", "申请号"),
    ("title", "标题"),
    ("abstract", "摘要"),
    ("application_date", "申请日"),
    ("publication_date", "公开（公告）日"),
    ("grant_date", "授权日"),
    ("priority_date", "优先权日"),
    ("applicants", "申请（专利权）人"),
    ("inventors", "发明人"),
    ("ipc_main", "IPC主分类号"),
    ("ipc", "IPC分类号"),
    ("legal_status", "法律状态"),
    ("family", "简单同族"),
    ("family_size", "简单同族数"),
    ("cited_count", "被引证次数"),
    ("address", "申请人地址"),
    ("region", "申请人省市/国别"),
    ("jurisdiction", "受理局"),
]
FIELD_LABELS = dict(FIELDS)
DATE_FIELDS = {"application_date", "publication_date", "grant_date", "priority_date"}
NUMBER_FIELDS = {"family_size", "cited_count"}
LIST_FIELDS = {"applicants", "inventors", "ipc", "family"}


def header_key(text):
    """A header as compared: width-folded (full-width brackets become half-width), no spaces, lower case."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    return re.sub(r"\s+", "", text)


# header (as header_key folds it) → field, per export family
LENS_HEADERS = {
    "lensid": None, "jurisdiction": "jurisdiction", "displaykey": "publication_number",
    "publicationnumber": "publication_number", "publicationdate": "publication_date",
    "applicationnumber": "application_number", "applicationdate": "application_date",
    "earliestprioritydate": "priority_date", "title": "title", "abstract": "abstract",
    "applicants": "applicants", "inventors": "inventors", "ipcrclassifications": "ipc",
    "simplefamilymembers": "family", "simplefamilysize": "family_size",
    "citedbypatentcount": "cited_count", "legalstatus": "legal_status", "granteddate": "grant_date",
}
GOOGLE_HEADERS = {
    "id": "publication_number", "title": "title", "assignee": "applicants", "inventor/author": "inventors",
    "prioritydate": "priority_date", "filing/creationdate": "application_date",
    "publicationdate": "publication_date", "grantdate": "grant_date", "resultlink": None,
    "representativefigurelink": None,
}
CHINESE_HEADERS = {
    "公开(公告)号": "publication_number", "公开号": "publication_number", "公告号": "publication_number",
    "申请号": "application_number", "申请日": "application_date", "公开(公告)日": "publication_date",
    "公开日": "publication_date", "授权公告日": "grant_date", "授权日": "grant_date",
    "优先权日": "priority_date", "标题": "title", "名称": "title", "发明名称": "title",
    "标题(中文)": "title", "摘要": "abstract", "摘要(中文)": "abstract",
    "申请(专利权)人": "applicants", "申请人": "applicants", "专利权人": "applicants",
    "当前申请(专利权)人": "applicants", "发明人": "inventors", "发明(设计)人": "inventors",
    "ipc主分类号": "ipc_main", "主分类号": "ipc_main", "ipc分类号": "ipc", "ipc": "ipc", "分类号": "ipc",
    "法律状态": "legal_status", "当前法律状态": "legal_status", "法律状态/事件": "legal_status",
    "简单同族": "family", "简单同族号": "family", "简单同族成员": "family", "简单同族个数": "family_size",
    "同族数量": "family_size", "被引证次数": "cited_count", "被引用次数": "cited_count",
    "申请人地址": "address", "地址": "address", "申请人省市": "region", "省市": "region",
    "申请人国家/地区": "region", "国省代码": "region", "受理局": "jurisdiction",
}
FAMILIES = {"lens": LENS_HEADERS, "google": GOOGLE_HEADERS, "chinese": CHINESE_HEADERS}
# a header present in one family only, which decides a tie
MARKERS = {"lens": {"lensid", "ipcrclassifications"}, "google": {"inventor/author", "resultlink"}, "chinese": set()}


@dataclass
class Detection:
    source: str
    header_row: int  # 1-based line/row of the header
    headers: list
    mapping: dict    # column index (str) → field
    encoding: str = ""
    delimiter: str = ","
    problems: list = field(default_factory=list)


def detect_mapping(headers):
    """(family, {column index: field}) for a header row; the family is the one whose
    dictionary names most of the headers."""
    keys = [header_key(h) for h in headers]
    best, best_score = "unknown", 0
    for family, table in FAMILIES.items():
        score = sum(1 for k in keys if k in table) + 3 * sum(1 for k in keys if k in MARKERS[family])
        if score > best_score:
            best, best_score = family, score
    if best == "unknown" or best_score < 2:
        return "unknown", {}
    table = FAMILIES[best]
    mapping, used = {}, set()
    for i, k in enumerate(keys):
        target = table.get(k)
        if target and target not in used:
            mapping[str(i)] = target
            used.add(target)
    return best, mapping


def sniff_encoding(head):
    """'utf-8-sig' or 'gb18030' for the first bytes of a CSV (a character cut at the end is fine)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder("gb18030")()
    try:
        decoder.decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        return None


def _is_google_first_line(row):
    return bool(row) and header_key(row[0]).startswith("searchurl:")


def csv_rows(binary, encoding, delimiter=","):
    """The rows of a CSV file object (binary), streamed through a text wrapper."""
    text = io.TextIOWrapper(binary, encoding=encoding, newline="", errors="strict")
    return csv.reader(text, delimiter=delimiter)


def sniff_delimiter(first_lines):
    counts = {d: first_lines.count(d) for d in (",", "\t", ";")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def detect_csv(binary):
    """Detection for a CSV export (binary file object positioned at 0)."""
    head = binary.read(65536)
    binary.seek(0)
    encoding = sniff_encoding(head)
    if encoding is None:
        return Detection("unknown", 1, [], {}, problems=["文件既不是 UTF-8 也不是 GB18030 编码的文本。"])
    text = head.decode(encoding.replace("-sig", ""), errors="ignore").lstrip("\ufeff")
    lines = text.splitlines()
    first = lines[0] if lines else ""
    skip = 1 if header_key(first).startswith("searchurl:") else 0
    delimiter = sniff_delimiter(lines[skip] if len(lines) > skip else first)
    reader = csv_rows(binary, encoding, delimiter)
    header_row, headers = 0, []
    for number, row in enumerate(reader, start=1):
        if number == 1 and _is_google_first_line(row):
            continue
        header_row, headers = number, [h.strip() for h in row]
        break
    binary.seek(0)
    source, mapping = detect_mapping(headers)
    return Detection(source, header_row, headers, mapping, encoding=encoding, delimiter=delimiter)


def xlsx_rows(binary):
    """The rows of the first sheet of an XLSX file object, read-only (streamed)."""
    from openpyxl import load_workbook

    workbook = load_workbook(binary, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    try:
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def detect_xlsx(binary):
    header_row, headers = 0, []
    for number, row in enumerate(xlsx_rows(binary), start=1):
        cells = ["" if c is None else str(c).strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and _is_google_first_line(cells):
            continue
        header_row, headers = number, cells
        break
        if number > 10:
            break
    binary.seek(0)
    source, mapping = detect_mapping(headers)
    return Detection(source, header_row, headers, mapping)


# --- cells ------------------------------------------------------------------------------

_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?: .*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


class CellError(ValueError):
    """A cell the rules cannot read: ``template`` (a catalogue entry in the source language) and
    its ``params``, so the problem can be shown in each reader's language; ``str()`` is the
    active language's."""

    def __init__(self, template, **params):
        super().__init__(template)
        self.template, self.params = template, params

    def __str__(self):
        from django.utils.translation import gettext

        return gettext(self.template) % self.params


BAD_DATE = gettext_noop("不是有效的日期：%(value)s")
UNKNOWN_DATE = gettext_noop("无法识别的日期“%(value)s”（支持 2023-05-17、2023.05.17、20230517、2023/5/17）")
NOT_COUNT = gettext_noop("不是非负整数：“%(value)s”")


def parse_date(value):
    """A date from the ways exports write one; ``None`` for an empty cell; ``CellError`` otherwise."""
    if type(value) is str:  # the CSV case, first: one cached lookup
        return _parse_date_text(value)
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial (1900 date system)
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise CellError(BAD_DATE, value=value)
    return _parse_date_text(str(value))


@lru_cache(maxsize=65536)
def _parse_date_text(value):
    """A date cell's text (exports repeat dates, so each distinct text is parsed once)."""
    text = unicodedata.normalize("NFKC", value).strip()
    if not text or text in {"-", "--", "—"}:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                break
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return EXCEL_EPOCH + datetime.timedelta(days=int(float(text)))
    raise CellError(UNKNOWN_DATE, value=text[:30])


def parse_number(value):
    if type(value) is str and value.isascii() and value.isdigit():  # the common case, made cheap
        return int(value)
    if value is None:
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0 or value != int(value):
            raise CellError(NOT_COUNT, value=value)
        return int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if not text or text in {"-", "--"}:
        return 0
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    raise CellError(NOT_COUNT, value=text[:30])


_SPLIT = {
    "lens": re.compile(r"\s*;;\s*"),
    "chinese": re.compile(r"\s*[;；|]\s*"),
    "google": re.compile(r"\s*,\s*"),
    "unknown": re.compile(r"\s*(?:;;|[;；|])\s*"),
}
_EN_SUFFIX = re.compile(r"^(ltd\.?|inc\.?|llc|co\.?|corp\.?|gmbh|ag|s\.?a\.?|plc|kg|limited)$", re.I)


def split_values(value, source):
    """Several values of one cell, as a tuple (``;;`` in Lens, ``;``/``；``/``|`` in Chinese
    exports, ``,`` in Google Patents — where "Co., Ltd." stays one name)."""
    if value is None:
        return ()
    return _split_text(value if type(value) is str else str(value), source)


# the separator of each family as plain text (``str.split`` then ``strip`` cuts exactly where
# the patterns above do, at C speed); the unknown family keeps its pattern
_PLAIN_SEPARATOR = {"lens": ";;", "google": ","}


@lru_cache(maxsize=65536)
def _split_text(value, source):
    text = value.strip()
    if not text:
        return ()
    if source == "chinese":
        if "；" in text or "|" in text:
            text = text.replace("；", ";").replace("|", ";")
        pieces = text.split(";")
    elif source in _PLAIN_SEPARATOR:
        pieces = text.split(_PLAIN_SEPARATOR[source])
    else:
        pieces = _SPLIT["unknown"].split(text)
    if len(pieces) == 1:
        return (text,)
    parts = [p for p in map(str.strip, pieces) if p]
    if source == "google":
        merged = []
        for p in parts:
            if merged and _EN_SUFFIX.match(p):
                merged[-1] = f"{merged[-1]}, {p}"
            else:
                merged.append(p)
        parts = merged
    return tuple(dict.fromkeys(parts))


def clean_number(value):
    """A publication/application number as compared: width-folded, no spaces or dots, upper case."""
    text = str(value or "")
    if text.isascii():  # width folding changes nothing in ASCII: the common case, made cheap
        return text.upper().translate(_NUMBER_DROP)
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", text).upper())


_NUMBER_DROP = str.maketrans("", "", " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85.-")


# --- applicants ---------------------------------------------------------------------------

_CN_SUFFIXES = [("股份有限公司", "有限公司"), ("有限责任公司", "有限公司"), ("(集团)有限公司", "集团有限公司")]
_EN_TAIL = re.compile(r"[\s,]*(co\.?,?\s*ltd\.?|company\s+limited|co\.?\s*limited|limited|ltd\.?|inc\.?|"
                      r"corporation|corp\.?|llc|gmbh|co\.?)\s*$", re.I)


@lru_cache(maxsize=65536)
def normalize_applicant(name):
    """The comparable form of an applicant name: full/half width folded, company-suffix
    variants (有限责任公司/股份有限公司 → 有限公司; Co., Ltd. / Inc. dropped), spacing and case."""
    text = unicodedata.normalize("NFKC", str(name or "")).strip()
    text = re.sub(r"\s+", " ", text)
    for old, new in _CN_SUFFIXES:
        if text.endswith(old):
            text = text[: -len(old)] + new
    if re.search(r"[A-Za-z]", text) and not re.search(r"[\u4e00-\u9fff]", text):
        previous = None
        while previous != text:
            previous = text
            text = _EN_TAIL.sub("", text).strip(" ,.")
        text = text.upper()
    return text


@lru_cache(maxsize=65536)
def applicant_kind(name):
    text = unicodedata.normalize("NFKC", str(name or "")).lower()
    if re.search(r"大学|university|college", text) or (re.search(r"学院|学校", text) and "科学院" not in text):
        return "university"
    if re.search(r"研究院|研究所|研究中心|科学院|实验室|institute|academy|laborator", text):
        return "institute"
    if re.search(r"公司|厂|集团|企业|中心|合作社|co\b|ltd|inc\b|corp|gmbh|llc|company|ag\b", text):
        return "enterprise"
    if re.fullmatch(r"[\u4e00-\u9fff·]{2,4}", text) or re.fullmatch(r"[a-z]+,? [a-z .]+", text):
        return "individual"
    return "other"


# --- legal status -----------------------------------------------------------------------

@lru_cache(maxsize=65536)
def legal_status(raw):
    text = unicodedata.normalize("NFKC", str(raw or "")).strip().lower()
    if not text:
        return "unknown"
    if re.search(r"失效|无效|驳回|撤回|届满|未缴|放弃|终止|inactive|expired|lapsed|discontinued|withdrawn|revoked|ceased", text):
        return "invalid"
    if re.search(r"有效|授权|维持|active|granted|in force", text):
        return "valid"
    if re.search(r"审中|实质审查|实审|公开|pending|examination|published", text):
        return "pending"
    return "unknown"


# --- regions ------------------------------------------------------------------------------

PROVINCES = [
    ("北京", "北京"), ("天津", "天津"), ("上海", "上海"), ("重庆", "重庆"), ("河北", "河北"), ("山西", "山西"),
    ("辽宁", "辽宁"), ("吉林", "吉林"), ("黑龙江", "黑龙江"), ("江苏", "江苏"), ("浙江", "浙江"), ("安徽", "安徽"),
    ("福建", "福建"), ("江西", "江西"), ("山东", "山东"), ("河南", "河南"), ("湖北", "湖北"), ("湖南", "湖南"),
    ("广东", "广东"), ("海南", "海南"), ("四川", "四川"), ("贵州", "贵州"), ("云南", "云南"), ("陕西", "陕西"),
    ("甘肃", "甘肃"), ("青海", "青海"), ("台湾", "台湾"), ("内蒙古", "内蒙古"), ("广西", "广西"), ("西藏", "西藏"),
    ("宁夏", "宁夏"), ("新疆", "新疆"), ("香港", "香港"), ("澳门", "澳门"),
]
INNER_MONGOLIA = "内蒙古"
IM_CITIES = ["呼和浩特", "包头", "乌海", "赤峰", "通辽", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布",
             "兴安盟", "锡林郭勒盟", "阿拉善盟"]
# towns and banners that name their league/city without it
IM_PLACES = {"准格尔": "鄂尔多斯", "达拉特": "鄂尔多斯", "伊金霍洛": "鄂尔多斯", "东胜": "鄂尔多斯", "康巴什": "鄂尔多斯",
             "鄂托克": "鄂尔多斯", "杭锦": "鄂尔多斯", "乌审": "鄂尔多斯", "满洲里": "呼伦贝尔", "海拉尔": "呼伦贝尔",
             "锡林浩特": "锡林郭勒盟", "二连浩特": "锡林郭勒盟", "乌兰浩特": "兴安盟", "集宁": "乌兰察布",
             "临河": "巴彦淖尔", "霍林郭勒": "通辽", "白云鄂博": "包头", "稀土高新": "包头", "锡林郭勒": "锡林郭勒盟",
             "阿拉善": "阿拉善盟", "兴安": "兴安盟"}
# Chinese administrative region codes (first two digits) used by some exports
REGION_CODES = {"11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
                "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
                "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
                "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
                "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门"}


def region_of(address="", region="", number="", jurisdiction=""):
    """(country, province, city) of a patent from the applicant address or region field,
    else the country from the jurisdiction or publication-number prefix."""
    return _region(address or "", region or "", clean_number(number)[:2], jurisdiction or "")


@lru_cache(maxsize=65536)
def _region(address, region, prefix, jurisdiction):
    """``region_of`` for a number prefix (only its first two letters matter): addresses and
    regions repeat across a data set, so each combination is worked out once."""
    number = prefix
    text = unicodedata.normalize("NFKC", f"{region or ''} {address or ''}").strip()
    province = city = ""
    code = re.match(r"^\s*(\d{2})\d{0,4}\b", str(region or ""))
    if code and code.group(1) in REGION_CODES:
        province = REGION_CODES[code.group(1)]
    for name, label in PROVINCES:
        if not province and name in text:
            province = label
    if not province:
        for place in list(IM_CITIES) + list(IM_PLACES):
            if place in text:
                province = INNER_MONGOLIA
                break
    if province == INNER_MONGOLIA:
        for name in IM_CITIES:
            if name.rstrip("盟") in text:
                city = name
                break
        if not city:
            for place, name in IM_PLACES.items():
                if place in text:
                    city = name
                    break
    country = ""
    if province:
        country = "CN"
    else:
        j = unicodedata.normalize("NFKC", str(jurisdiction or "")).strip().upper()
        if re.fullmatch(r"[A-Z]{2}", j):
            country = j
        else:
            m = re.match(r"^([A-Z]{2})", clean_number(number))
            country = m.group(1) if m else ""
        if re.fullmatch(r"[A-Z]{2}", text.strip().upper() or "-"):
            country = text.strip().upper()
    return country, province, city


# --- IPC ----------------------------------------------------------------------------------

_IPC = re.compile(r"^([A-H])(\d{2})([A-Z])\s*(\d{1,4})\s*/\s*(\d{1,6})")


@lru_cache(maxsize=65536)
def ipc_parts(code):
    """(code, section, class, subclass, main group) of an IPC symbol, or ``None``."""
    text = unicodedata.normalize("NFKC", str(code or "")).strip().upper()
    m = _IPC.match(text)
    if not m:
        m2 = re.match(r"^([A-H])(\d{2})([A-Z])$", text)
        if not m2:
            return None
        sub = "".join(m2.groups())
        return sub, m2.group(1), m2.group(1) + m2.group(2), sub, sub
    section, cls, letter, main, sub = m.groups()
    subclass = f"{section}{cls}{letter}"
    return f"{subclass} {int(main)}/{sub}", section, f"{section}{cls}", subclass, f"{subclass} {int(main)}/00"

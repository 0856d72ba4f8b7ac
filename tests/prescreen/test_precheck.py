"""Formal pre-check on generated DOCX/PDF fixtures: a clean set passes, each known defect is found
with its code and exact location; the parsing helpers handle the usual Chinese spellings."""
import io
import re

import pytest

from prescreen import precheck as pc
from tests.prescreen.fixtures import builders


def extract_all(files):
    return {
        role: [pc.extract_text(io.BytesIO(data), name) for name, data in items]
        for role, items in files.items()
    }


def check(files, title=builders.TITLE, **kwargs):
    return pc.run_precheck(extract_all(files), title=title,
                           forbidden_words=pc.DEFAULT_FORBIDDEN_WORDS, **kwargs)


def only(findings):
    assert len(findings) == 1, [f.as_dict() for f in findings]
    return findings[0]


@pytest.fixture(scope="module")
def clean():
    return builders.clean_files()


def test_clean_set_has_no_findings(clean):
    assert check(clean) == []


def test_extraction_reads_docx_pdf_and_image_names(clean):
    docs = extract_all(clean)
    claims = docs["claims"][0]
    assert claims.pages == 1
    assert [c.number for c in pc.parse_claims(claims.paragraphs)] == [1, 2, 3, 4, 5]
    assert docs["drawings"][0].pages == 4
    assert docs["drawings"][0].figures == ["1", "2", "3a", "3b"]
    assert "[0008] 如图1所示" in docs["description"][0].text
    image = pc.extract_text(io.BytesIO(builders.png_bytes()), "图4B.png")
    assert (image.text, image.figures, image.pages) == ("", ["4b"], 1)
    assert pc.extract_text(io.BytesIO(b""), "fig_7.jpg").figures == ["7"]


def test_claims_gap_found_at_the_claim_after_the_gap():
    files, title = builders.defect_files("claims_gap")
    finding = only(check(files, title))
    assert (finding.code, finding.severity, finding.location) == ("claims_numbering", "warn", "权利要求 5")
    assert "权利要求3之后应为权利要求4" in finding.message


def test_dependent_claim_referring_forward():
    files, title = builders.defect_files("forward_reference")
    finding = only(check(files, title))
    assert (finding.code, finding.location, finding.document) == ("claims_forward_reference", "权利要求 2", "claims")
    assert "引用了权利要求3" in finding.message


def test_abstract_of_350_characters():
    files, title = builders.defect_files("long_abstract")
    finding = only(check(files, title))
    assert (finding.code, finding.location) == ("abstract_too_long", "摘要")
    assert "共350个字" in finding.message and "300" in finding.message
    assert check(files, title, abstract_limit=400) == []


def test_figure_referenced_but_not_drawn():
    files, title = builders.defect_files("figure_missing")
    finding = only(check(files, title))
    assert (finding.code, finding.location) == ("figure_missing", "说明书 第[0011]段")
    assert "图4" in finding.message


def test_figure_drawn_but_never_referenced():
    files, title = builders.defect_files("figure_unreferenced")
    finding = only(check(files, title))
    assert (finding.code, finding.location, finding.document) == ("figure_not_referenced", "附图 图5", "drawings")


def test_forbidden_word_in_title():
    files, title = builders.defect_files("forbidden_title")
    finding = only(check(files, title))
    assert (finding.code, finding.location) == ("title_forbidden_word", "发明名称")
    assert "“等”" in finding.message


def test_missing_claims_blocks():
    files, title = builders.defect_files("missing_claims")
    findings = check(files, title)
    finding = only(findings)
    assert (finding.code, finding.severity, finding.location) == ("missing_document", "block", "权利要求书")
    assert pc.has_blocking(findings)
    assert not pc.has_blocking(check(builders.clean_files()))


def test_drawings_required_when_asked(clean):
    files = dict(clean)
    files.pop("drawings")
    findings = check(files, required_roles=pc.REQUIRED_ROLES + ("drawings",))
    missing = [f for f in findings if f.code == "missing_document"]
    assert [(f.location, f.severity) for f in missing] == [("说明书附图", "block")]
    # without drawings every referenced figure is missing
    assert {f.code for f in findings} == {"missing_document", "figure_missing"}


def test_title_length_limit():
    findings = pc.run_precheck(
        extract_all(builders.clean_files()), title="一" * 26, forbidden_words=[], title_limit=25
    )
    finding = only(findings)
    assert (finding.code, finding.location) == ("title_too_long", "发明名称")
    assert "26个字" in finding.message


def test_scanned_pdf_without_text_warns():
    files = builders.clean_files()
    files["claims"] = [("权利要求书.pdf", builders.drawings_pdf_bytes([]))]
    codes = {(f.code, f.location) for f in check(files)}
    assert ("document_without_text", "权利要求书") in codes


def test_auto_numbered_docx_claims_keep_their_numbers():
    claims = [re.sub(r"^[0-9０-９]+[.、．]\s*", "", line) for line in builders.CLAIMS[1:]]
    assert not any(c[0].isdigit() for c in claims)
    data = builders.docx_bytes(["权利要求书"] + claims, numbered_from=1)
    doc = pc.extract_text(io.BytesIO(data), "claims.docx")
    parsed = pc.parse_claims(doc.paragraphs)
    assert [c.number for c in parsed] == [1, 2, 3, 4, 5]
    assert parsed[3].references == [1, 2, 3]


def test_claims_in_pdf_without_paragraph_numbers_use_paragraph_index():
    description = [p.split(" ", 1)[1] if p.startswith("[") else p for p in builders.DESCRIPTION]
    description.append("在另一实施例中，如图4所示，底座的底部还设有防滑垫。")
    files = builders.clean_files()
    files["description"] = [("说明书.pdf", builders.pdf_bytes(description))]
    finding = only(check(files))
    assert (finding.code, finding.location) == ("figure_missing", f"说明书 第{len(description)}段")


@pytest.mark.parametrize(
    "text,refs",
    [
        ("根据权利要求1所述的装置", [1]),
        ("如权利要求1或2所述的装置", [1, 2]),
        ("根据权利要求1-3任一项所述的装置", [1, 2, 3]),
        ("根据权利要求1至3中任一项所述的装置", [1, 2, 3]),
        ("根据权利要求１～３中任一项所述", [1, 2, 3]),
        ("如权利要求2、4或6所述", [2, 4, 6]),
        ("如权利要求1或权利要求5所述", [1, 5]),
        ("一种装置，包括底座", []),
    ],
)
def test_claim_references(text, refs):
    assert pc.claim_references(text) == refs


def test_claim_numbering_spellings():
    paras = ["权利要求书", "1. 一种装置，厚度为2.5mm，", "包括底座。", "2、根据权利要求1所述的装置。",
             "３．根据权利要求2所述的装置。", "４、根据权利要求3所述的装置。"]
    claims = pc.parse_claims(paras)
    assert [c.number for c in claims] == [1, 2, 3, 4]
    assert claims[0].text == "一种装置，厚度为2.5mm，包括底座。"


def test_claims_must_start_at_one():
    findings = pc.run_precheck(
        {"claims": [pc.ExtractedDoc("", ["2. 一种装置。", "3. 根据权利要求2所述的装置。"], [], 1)]},
        title="", forbidden_words=[], required_roles=(),
    )
    finding = only(findings)
    assert (finding.code, finding.location) == ("claims_numbering", "权利要求 2")
    assert "应从1开始" in finding.message


@pytest.mark.parametrize(
    "text,figs",
    [
        ("如图1所示", ["1"]),
        ("图 2 是示意图", ["2"]),
        ("图3a和图3B", ["3a", "3b"]),
        ("图1-3分别示出", ["1", "2", "3"]),
        ("图4至图6", ["4", "5", "6"]),
        ("附图说明", []),
    ],
)
def test_figure_references(text, figs):
    assert pc.figure_references(text) == figs


def test_sub_figures_match_their_figure_in_both_directions():
    # description says 图3, drawings have 图3A/3B → fine; description says 图5a, drawings have 图5 → fine
    desc = pc.ExtractedDoc("", ["[0001] 如图3所示。", "[0002] 图5a示出细节。"], [], 1)
    drawings = pc.ExtractedDoc("", [], ["3a", "3b", "5"], 3)
    findings = pc.run_precheck({"description": [desc], "drawings": [drawings]}, title="",
                               forbidden_words=[], required_roles=())
    assert findings == []
    drawings = pc.ExtractedDoc("", [], ["3a", "5b"], 2)
    findings = pc.run_precheck({"description": [desc], "drawings": [drawings]}, title="",
                               forbidden_words=[], required_roles=())
    assert [(f.code, f.location) for f in findings] == [
        ("figure_missing", "说明书 第[0002]段"), ("figure_not_referenced", "附图 图5b")]


def test_forbidden_words_ignore_ordinary_compounds_and_check_claims():
    words = pc.DEFAULT_FORBIDDEN_WORDS
    assert pc.find_forbidden_words("厚度等于5毫米，受到约束，左右两侧对称", words) == []
    assert pc.find_forbidden_words("温度为50度左右，约5毫米，螺栓等", words) == ["等", "左右", "约"]
    assert pc.find_forbidden_words("一种XX牌净水器", ["XX牌"]) == ["XX牌"]
    findings = pc.run_precheck(
        {"claims": [pc.ExtractedDoc("", ["1. 一种装置，厚度约5毫米。"], [], 1)]},
        title="", forbidden_words=["约"], required_roles=(),
    )
    finding = only(findings)
    assert (finding.code, finding.location) == ("claims_forbidden_word", "权利要求 1")


def test_unreadable_and_unsupported_files_raise_chinese_errors():
    with pytest.raises(pc.ExtractionError, match="PDF"):
        pc.extract_text(io.BytesIO(b"%PDF-1.4 garbage"), "x.pdf")
    with pytest.raises(pc.ExtractionError, match="Word"):
        pc.extract_text(io.BytesIO(b"PK\x03\x04 not a zip"), "x.docx")
    with pytest.raises(pc.ExtractionError, match="不支持"):
        pc.extract_text(io.BytesIO(b"hello"), "x.txt")


def test_drawing_without_figure_number_warns_instead_of_guessing(clean):
    files = dict(clean)
    files["drawings"] = [("附图.pdf", clean["drawings"][0][1]), ("scan.png", builders.png_bytes())]
    finding = only(check(files))
    assert (finding.code, finding.location) == ("drawing_unlabelled", "附图 scan.png")


@pytest.mark.parametrize("seed", range(20))
def test_arbitrary_text_never_crashes(seed):
    import random

    rng = random.Random(seed)
    alphabet = "1234567890.、．１２３[]图权利要求所述或至-~ 根据如任一项aA所示。，\n"
    paras = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(rng.randint(0, 15))]
    doc = pc.ExtractedDoc("\n".join(paras), paras, pc.figure_labels(paras), 1)
    findings = pc.run_precheck({role: [doc] for role in pc.ROLE_LABELS}, title=paras[0] if paras else "",
                               forbidden_words=pc.DEFAULT_FORBIDDEN_WORDS)
    assert all(f.severity in ("block", "warn") and f.message and f.location for f in findings)

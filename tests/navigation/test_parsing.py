"""Header detection, cell parsing, normalisation and regions (pure logic)."""
import datetime
import io

import pytest

from navigation import demo, parsing


def _bytes(writer, records, **kw):
    buf = io.BytesIO()
    writer(records, buf, **kw)
    buf.seek(0)
    return buf


def test_lens_csv_is_detected_by_its_english_headers():
    d = parsing.detect_csv(_bytes(demo.write_lens_csv, demo.generate(3)))
    assert d.source == "lens" and d.header_row == 1
    mapped = set(d.mapping.values())
    assert {"publication_number", "application_number", "applicants", "ipc", "family_size", "cited_count"} <= mapped


def test_google_patents_csv_skips_the_search_url_line():
    d = parsing.detect_csv(_bytes(demo.write_google_csv, demo.generate(3)))
    assert d.source == "google" and d.header_row == 2
    assert d.headers[0] == "id" and "inventors" in d.mapping.values()


def test_chinese_gb18030_csv_with_full_width_brackets():
    buf = _bytes(demo.write_chinese_csv, demo.generate(3))
    with pytest.raises(UnicodeDecodeError):
        buf.getvalue().decode("utf-8")
    d = parsing.detect_csv(buf)
    assert d.source == "chinese" and d.encoding == "gb18030"
    assert d.mapping["1"] == "publication_number" and d.mapping["7"] == "applicants"


def test_chinese_utf8_bom_csv_and_half_width_brackets():
    raw = "\ufeff公开(公告)号,申请号,申请日,标题,申请(专利权)人\nCN1A,CN2,2023/5/17,t,甲公司\n".encode("utf-8")
    d = parsing.detect_csv(io.BytesIO(raw))
    assert d.source == "chinese" and d.encoding == "utf-8-sig"
    assert d.headers[0] == "公开(公告)号" and d.mapping["0"] == "publication_number"


def test_chinese_xlsx_is_detected():
    d = parsing.detect_xlsx(_bytes(demo.write_chinese_xlsx, demo.generate(3)))
    assert d.source == "chinese" and d.mapping["3"] == "application_date"


@pytest.mark.parametrize("value", ["2023-05-17", "2023.05.17", "20230517", "2023/5/17", "２０２３-０５-１７",
                                   "2023-05-17 00:00:00", 45063, datetime.datetime(2023, 5, 17, 0, 0)])
def test_dates_in_every_export_format(value):
    assert parsing.parse_date(value) == datetime.date(2023, 5, 17)


@pytest.mark.parametrize("value", ["2023-13-01", "17/05/2023", "明年", "2023-02-30"])
def test_bad_dates_are_errors(value):
    with pytest.raises(parsing.CellError):
        parsing.parse_date(value)


def test_numbers():
    assert parsing.parse_number("12") == 12 and parsing.parse_number("") == 0 and parsing.parse_number(3.0) == 3
    with pytest.raises(parsing.CellError):
        parsing.parse_number("十二")
    with pytest.raises(parsing.CellError):
        parsing.parse_number(-1)


def test_multi_values_per_family():
    assert parsing.split_values("A;;B ;; C", "lens") == ("A", "B", "C")
    assert parsing.split_values("甲；乙;丙|丁", "chinese") == ("甲", "乙", "丙", "丁")
    assert parsing.split_values("Baotou Steel Co., Ltd., Inner Mongolia University", "google") == (
        "Baotou Steel Co., Ltd.", "Inner Mongolia University")
    assert parsing.split_values(None, "lens") == () and parsing.split_values("  ", "chinese") == ()


def test_applicant_variants_normalise_to_one_name():
    names = ["内蒙古伊泰煤制油有限责任公司", "内蒙古伊泰煤制油股份有限公司", "内蒙古伊泰煤制油有限公司 ",
             "内蒙古伊泰煤制油有限公司".replace("有限", "有限")]
    assert {parsing.normalize_applicant(n) for n in names} == {"内蒙古伊泰煤制油有限公司"}
    assert parsing.normalize_applicant("Baotou Steel Co., Ltd.") == parsing.normalize_applicant("ＢＡＯＴＯＵ ＳＴＥＥＬ")
    assert parsing.normalize_applicant("久泰能源（准格尔）有限公司") == "久泰能源(准格尔)有限公司"


def test_applicant_kinds():
    assert parsing.applicant_kind("内蒙古大学") == "university"
    assert parsing.applicant_kind("包头稀土研究院") == "institute"
    assert parsing.applicant_kind("中国石油化工股份有限公司") == "enterprise"
    assert parsing.applicant_kind("王伟") == "individual"


def test_regions_from_address_and_codes():
    assert parsing.region_of("内蒙古自治区鄂尔多斯市准格尔旗大路工业园区") == ("CN", "内蒙古", "鄂尔多斯")
    assert parsing.region_of("包头市稀土高新区黄河大街") == ("CN", "内蒙古", "包头")
    assert parsing.region_of("", "150602") == ("CN", "内蒙古", "")
    assert parsing.region_of("上海市徐汇区") == ("CN", "上海", "")
    assert parsing.region_of("", "", "US2020123456A1") == ("US", "", "")


def test_legal_status_and_ipc():
    assert parsing.legal_status("有效") == "valid" and parsing.legal_status("未缴年费终止失效") == "invalid"
    assert parsing.legal_status("实质审查") == "pending" and parsing.legal_status("INACTIVE") == "invalid"
    assert parsing.ipc_parts("C10J3/00") == ("C10J 3/00", "C", "C10", "C10J", "C10J 3/00")
    assert parsing.ipc_parts("C07C 29/151") == ("C07C 29/151", "C", "C07", "C07C", "C07C 29/00")
    assert parsing.ipc_parts("garbage") is None

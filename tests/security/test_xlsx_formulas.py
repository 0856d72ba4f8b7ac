"""XLSX exports never turn user text into a live formula (CSV/formula injection): text that
starts with = + - @ or a tab/CR is a text cell with the quote prefix; numbers stay numbers."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ipcenter.reports.xlsx import write_xlsx
from prescreen.models import PreExamCase
from tests import factories
from tests.conftest import login

HOSTILE = ['=HYPERLINK("https://evil.example/","点我")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1",
           "=cmd|' /C calc'!A0"]


def _cells(content):
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return list(ws.iter_rows())


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_is_written_as_text(text):
    rows = _cells(write_xlsx([("表", ["名称", "数量"], [[text, 5], ["普通文字", -3.5]])]))
    cell, number = rows[1]
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
    assert number.data_type == "n" and number.value == 5
    assert rows[2][0].data_type == "s" and not rows[2][0].quotePrefix
    assert rows[2][1].value == -3.5 and rows[2][1].data_type == "n"


def test_a_formula_header_is_text_too():
    rows = _cells(write_xlsx([("表", ["=1+1"], [])]))
    assert rows[0][0].data_type == "s" and rows[0][0].value == "=1+1"


@pytest.mark.django_db
def test_list_export_writes_a_hostile_case_title_as_text(client, org, applicant_user):
    title = '=HYPERLINK("https://evil.example/","预审")'
    PreExamCase.objects.create(organization=org, filed_by=applicant_user, title=title,
                               technical_field=factories.field("new-materials"), applicants=org.name,
                               inventors="张三")
    resp = login(client, applicant_user).get(reverse("prescreen:case-list") + "?export=xlsx")
    assert resp.status_code == 200
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    cells = [c for row in _cells(content)[1:] for c in row if c.value == title]
    assert cells and all(c.data_type == "s" for c in cells)
    assert not [c for row in _cells(content) for c in row if c.data_type == "f"]

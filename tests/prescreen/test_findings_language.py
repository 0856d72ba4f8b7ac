"""Pre-check findings are stored in the source language with their message key and parameters
and shown in the viewer's language: the same stored finding reads in Chinese by default and in
English with the language cookie, on the filing review page and on the case page; a finding
stored before the parameters were kept shows its stored text.  (The English assertions use
texts the English catalogue has: the document labels and the missing-file message.)"""
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ipcenter.files.services import attachments_of
from prescreen import precheck, services
from prescreen.models import PreExamCase
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db

MISSING_FILE_ZH = "文件已不在存储中，请重新上传。"
MISSING_FILE_EN = "The file is no longer in storage; please upload it again."


def _client(user, language=None):
    client = Client()
    client.force_login(user)
    if language:
        client.cookies.load({"django_language": language})
    return client


def _lose_drawings_file(case):
    """The drawings' stored file is gone: the check reports it (code ``unreadable``)."""
    drawing = next(a for a in attachments_of(case) if a.label == "drawings")
    drawing.file.storage.delete(drawing.file.name)
    return drawing.original_name


def test_a_finding_made_while_english_is_active_is_stored_in_chinese_with_its_parameters():
    with translation.override("en"):
        stored = precheck.Finding("missing_document", "block", "claims", {"role": "claims"},
                                  "role", {"role": "claims"}).as_dict()
    assert stored["message"] == "缺少必需的申请文件：权利要求书。" and stored["location"] == "权利要求书"
    assert (stored["message_key"], stored["params"]) == ("missing_document", {"role": "claims"})
    assert stored["place"] == "role"
    with translation.override("en"):
        assert precheck.shown(stored)["location"] == "Claims"
    with translation.override("zh-hans"):
        assert precheck.shown(stored)["message"] == "缺少必需的申请文件：权利要求书。"


def test_every_finding_of_a_check_renders_from_its_key_the_same_text_it_stored():
    docs, title = {}, None
    for defect in ("forbidden_title", "claims_gap", "forward_reference", "long_abstract", "figure_missing",
                   "figure_unreferenced"):
        files, title = builders.defect_files(defect)[0], title or builders.defect_files(defect)[1]
        for role, items in files.items():
            docs.setdefault(role, []).extend(precheck.extract_text(io.BytesIO(data), name) for name, data in items)
    with translation.override("en"):
        stored = [f.as_dict() for f in precheck.run_precheck(docs, title=title, forbidden_words=["等"])]
    codes = {f["code"] for f in stored}
    assert {"title_forbidden_word", "claims_numbering", "claims_forward_reference", "abstract_too_long"} <= codes
    for finding in stored:
        assert finding["message_key"] in precheck.MESSAGES and finding["place"] in precheck.PLACES
        with translation.override("zh-hans"):
            assert precheck.shown(finding) == finding  # Chinese: the stored text, rendered again


def test_a_stored_finding_without_parameters_or_with_broken_ones_keeps_its_stored_text():
    old = {"code": "missing_document", "severity": "block", "message": "缺少必需的申请文件：权利要求书。",
           "document": "claims", "location": "权利要求书"}
    broken = {**old, "message_key": "claims_numbering", "params": {"number": 3}, "place": "claim",
              "place_params": {}}
    unknown = {**old, "message_key": "from_a_later_version", "params": {}, "place": "elsewhere", "place_params": {}}
    with translation.override("en"):
        for finding in (old, broken, unknown):
            assert precheck.shown(finding)["message"] == old["message"]
            assert precheck.shown(finding)["location"] == old["location"]


def test_the_review_page_shows_the_same_stored_findings_in_the_viewers_language(org, applicant_user):
    register(org)
    files = builders.clean_files()
    del files["claims"]
    case = draft(org, applicant_user, files=files)
    _lose_drawings_file(case)
    url = reverse("prescreen:case-review", args=[case.pk])
    english = _client(applicant_user, "en").get(url).content.decode()  # the check runs for an English viewer
    case.refresh_from_db()
    stored = case.precheck_findings
    by_code = {f["code"]: f for f in stored}
    assert by_code["missing_document"]["message"] == "缺少必需的申请文件：权利要求书。"  # stored in Chinese
    assert by_code["unreadable"]["message"] == MISSING_FILE_ZH
    assert MISSING_FILE_EN in english and "<strong class=\"ms-1\">Claims</strong>" in english
    assert MISSING_FILE_ZH not in english
    chinese = _client(applicant_user).get(url).content.decode()
    assert MISSING_FILE_ZH in chinese and "缺少必需的申请文件：权利要求书。" in chinese
    assert MISSING_FILE_EN not in chinese
    case.refresh_from_db()
    assert case.precheck_findings == stored  # not checked again: the same stored findings, shown twice


def test_the_case_page_shows_the_findings_in_the_viewers_language_and_old_ones_as_stored(org, applicant_user):
    register(org)
    case = draft(org, applicant_user)
    name = _lose_drawings_file(case)
    with translation.override("en"):  # submitted by an English-speaking filer
        case = services.submit_case(case, applicant_user)
    assert case.state == PreExamCase.State.SUBMITTED
    url = reverse("prescreen:case-detail", args=[case.pk])
    chinese = _client(applicant_user).get(url).content.decode()
    english = _client(applicant_user, "en").get(url).content.decode()
    assert MISSING_FILE_ZH in chinese and MISSING_FILE_EN not in chinese
    assert MISSING_FILE_EN in english and MISSING_FILE_ZH not in english
    assert name in english  # the location: the file's name
    old = {"code": "unreadable", "severity": "warn", "message": "旧的提示文字", "document": "drawings", "location": name}
    PreExamCase.objects.filter(pk=case.pk).update(precheck_findings=[old])
    english = _client(applicant_user, "en").get(url).content.decode()
    assert "旧的提示文字" in english and MISSING_FILE_EN not in english

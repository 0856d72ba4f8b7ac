"""Every clock an app opens keeps its name in the source language: a deadline opened while an
English-speaking user acts still reads in Chinese for a Chinese viewer (and in English for an
English one).  Every ``open_deadline`` call in the code passes ``label=gettext_lazy(...)`` with
its values in ``label_params`` (a text formatted with ``gettext`` is stored in the actor's
language; a ``get_…_display()`` value is too).  (The English assertions need the compiled
English catalogue, like every English test.)"""
import ast
import datetime
from pathlib import Path

import pytest
from django.utils import translation

from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import deadlines_of
from prescreen.models import PreExamCase
from rightsaid.mediation import services as mediation
from tests import factories
from tests.rightsaid.test_mediation import in_mediation, mediator  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "tests", "node_modules", "staticfiles", ".git"}


def _calls():
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if isinstance(node, ast.Call) and name == "open_deadline":
                yield f"{path.relative_to(ROOT)}:{node.lineno}", {k.arg: k.value for k in node.keywords}


def _is_lazy(node):
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("gettext_lazy", "_lazy")


def _is_display_call(node):
    return any(isinstance(n, ast.Call) and (getattr(n.func, "attr", "") or "").startswith("get_")
               and (getattr(n.func, "attr", "") or "").endswith("_display") for n in ast.walk(node))


def test_every_open_deadline_call_passes_a_lazy_label_and_plain_parameters():
    calls = list(_calls())
    assert len(calls) >= 15  # the scan finds the call sites
    for where, kwargs in calls:
        assert _is_lazy(kwargs.get("label")), f"{where}: label must be gettext_lazy(...)"
        params = kwargs.get("label_params")
        assert params is None or not _is_display_call(params), f"{where}: pass Choices(v).label, not get_…_display()"


@pytest.mark.django_db
def test_mediation_clocks_opened_in_english_read_in_chinese_for_a_chinese_viewer(mediator):  # noqa: F811
    with translation.override("en"):
        dispute = in_mediation(mediator)
        mediation.extend_term(dispute, mediator, reason="双方需要补充证据",
                              new_due_date=dispute.due_date + datetime.timedelta(days=10))
    clocks = list(deadlines_of(dispute).order_by("pk"))
    assert [c.label for c in clocks] == ["人民调解期限：%(n)s", "人民调解期限（已延长）：%(n)s"]
    assert all(c.label_params == {"n": dispute.number} for c in clocks)
    with translation.override("zh-hans"):
        assert clocks[0].display_label == f"人民调解期限：{dispute.number}"
        assert clocks[1].display_label == f"人民调解期限（已延长）：{dispute.number}"
    with translation.override("en"):
        assert clocks[0].display_label == f"People's mediation deadline: {dispute.number}"


@pytest.mark.django_db
def test_a_pre_exam_clock_opened_in_english_reads_in_chinese_for_a_chinese_viewer():
    with translation.override("en"):
        case = factories.case_in(PreExamCase.State.ACCEPTED)
    clock = deadlines_of(case, pending=True).get()
    assert (clock.label, clock.state) == ("预审办结", Deadline.State.OPEN)
    with translation.override("zh-hans"):
        assert clock.display_label == "预审办结"
    with translation.override("en"):
        assert clock.display_label == "Pre-exam turnaround"

"""A notification keeps its title (and body) in the source language with its values, and each
viewer reads it in their own: a case accepted by an English-speaking manager reads in Chinese
for a Chinese applicant and in English for an English one.  Every ``notify(``/``notify_role(``
call passes ``title=gettext_lazy(...)`` (or a helper's lazy text) with ``title_params`` (a text
formatted with ``gettext`` at the call is stored in the actor's language).  E-mails go out in
the site's language.  (The English assertions need the compiled English catalogue.)"""
import ast
from pathlib import Path

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from ipcenter.notify.models import Notification
from ipcenter.notify.services import notify, send_pending_emails
from prescreen.models import PreExamCase
from prescreen.services import examination
from tests import factories
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "tests", "node_modules", "staticfiles", ".git"}
GETTEXT = {"_", "gettext", "pgettext", "ngettext"}


def _is_gettext_format(node):
    """``_("…") % {...}`` (text translated at the call) somewhere inside ``node``."""
    return any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mod) and isinstance(n.left, ast.Call)
               and getattr(n.left.func, "id", None) in GETTEXT for n in ast.walk(node))


def _is_formatted(node):
    """A text made at the call: translated (``_(…)``), formatted (``%``, f-string)."""
    return _is_gettext_format(node) or any(
        isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Call) and getattr(n.func, "id", None) in GETTEXT)
        for n in ast.walk(node))


def _calls():
    for path in ROOT.rglob("*.py"):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if isinstance(node, ast.Call) and name in ("notify", "notify_role"):
                # the enclosing function: where a title held in a variable was made
                scope = min((f for f in functions if f.lineno <= node.lineno <= f.end_lineno),
                            key=lambda f: f.end_lineno - f.lineno, default=tree)
                yield f"{path.relative_to(ROOT)}:{node.lineno}", {k.arg: k.value for k in node.keywords}, scope


def _is_lazy(node):
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("gettext_lazy", "_lazy")


def _is_display_call(node):
    return any(isinstance(n, ast.Call) and (getattr(n.func, "attr", "") or "").startswith("get_")
               and (getattr(n.func, "attr", "") or "").endswith("_display") for n in ast.walk(node))


def test_every_notify_call_passes_a_lazy_title_and_plain_parameters():
    calls = [c for c in _calls() if "title" in c[1]]
    assert len(calls) >= 30  # the scan finds the call sites
    for where, kwargs, scope in calls:
        title = kwargs["title"]
        assert _is_lazy(title) or isinstance(title, ast.Name), f"{where}: title must be gettext_lazy(...)"
        if isinstance(title, ast.Name):
            # a title kept in a variable (or passed in) is made lazily in the function too
            assert not _is_gettext_format(scope), f"{where}: {title.id} is formatted with gettext"
        for key in ("title_params", "body_params", "body"):
            assert key not in kwargs or not _is_display_call(kwargs[key]), \
                f"{where}: pass Choices(v).label, not get_…_display()"
        assert not _is_formatted(kwargs.get("body", ast.Constant(""))), f"{where}: body formatted at the call"


def test_the_scan_catches_a_formatted_title():
    tree = ast.parse('def f(case):\n    t = _("a %(n)s") % {"n": 1}\n    notify(u, title=t)\n')
    assert _is_gettext_format(tree.body[0])
    assert _is_formatted(ast.parse('_("原因")').body[0].value) and _is_formatted(ast.parse('f"{x}"').body[0].value)
    assert not _is_lazy(ast.parse('_("a %(n)s") % {"n": 1}').body[0].value)


@pytest.mark.django_db
def test_a_case_accepted_in_english_tells_the_applicant_in_chinese_and_an_english_reader_in_english():
    case = factories.case_in(PreExamCase.State.SUBMITTED)
    with translation.override("en"):
        examination.accept_case(case, factories.manager())
    n = Notification.objects.get(recipient=case.filed_by, title__startswith="预审案件已受理")
    assert (n.title, n.title_params) == ("预审案件已受理：%(title)s", {"title": case.title})
    with translation.override("zh-hans"):
        assert n.display_title == f"预审案件已受理：{case.title}"
        assert str(n) == n.display_title
    with translation.override("en"):
        assert n.display_title == f"Pre-exam case accepted: {case.title}"


def _in(client, language):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.django_db
def test_the_list_page_and_the_api_show_the_viewers_language(client):
    user = factories.applicant()
    with translation.override("en"):
        notify(user, title=gettext_lazy("预审案件已受理：%(title)s"), title_params={"title": "一种稀土抛光粉"},
               body=gettext_lazy("预审办结"), email=False)
    login(client, user)
    zh = _in(client, "zh-hans").get("/notifications/").content.decode()
    assert "预审案件已受理：一种稀土抛光粉" in zh and "Pre-exam case accepted" not in zh
    en = _in(client, "en").get("/notifications/").content.decode()
    assert "Pre-exam case accepted: 一种稀土抛光粉" in en and "Pre-exam turnaround" in en
    row = _in(client, "en").get("/api/v1/notifications/").json()["results"][0]
    assert (row["title"], row["body"]) == ("Pre-exam case accepted: 一种稀土抛光粉", "Pre-exam turnaround")
    row = _in(client, "zh-hans").get("/api/v1/notifications/").json()["results"][0]
    assert row["title"] == "预审案件已受理：一种稀土抛光粉"


@pytest.mark.django_db
def test_a_reminder_names_its_deadline_in_the_readers_language():
    user = factories.applicant()
    with translation.override("en"):
        notify(user, title=gettext_lazy("期限提醒：%(label)s 将于 %(due)s 到期"),
               title_params={"label": {"text": gettext_lazy("人民调解期限：%(n)s"), "params": {"n": "TJ-1"}},
                             "due": "2026-12-01"}, email=False)
    n = Notification.objects.get(recipient=user)
    assert n.title_params["label"] == {"text": "人民调解期限：%(n)s", "params": {"n": "TJ-1"}}
    with translation.override("zh-hans"):
        assert n.display_title == "期限提醒：人民调解期限：TJ-1 将于 2026-12-01 到期"
    with translation.override("en"):
        assert n.display_title == "Deadline reminder: People's mediation deadline: TJ-1 is due on 2026-12-01"


@pytest.mark.django_db
def test_the_mail_is_in_the_sites_language_whoever_acted(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = factories.applicant(email="a@example.com")
    with translation.override("en"):
        notify(user, title=gettext_lazy("预审案件已受理：%(title)s"), title_params={"title": "抛光粉"})
        assert send_pending_emails() == 1
    assert mail.outbox[-1].subject == "预审案件已受理：抛光粉"


@pytest.mark.django_db
def test_old_rows_and_plain_text_show_as_stored_and_a_wrong_template_is_refused():
    user = factories.applicant()
    old = Notification.objects.create(recipient=user, title="旧的通知 100%", body="说明")
    with translation.override("en"):
        assert (old.display_title, old.display_body) == ("旧的通知 100%", "说明")
    with pytest.raises(ValueError):
        notify(user, title=gettext_lazy("预审案件已受理：%(title)s"), title_params={"name": "x"})
    assert Notification.objects.filter(recipient=user).count() == 1


@pytest.mark.django_db
def test_a_choice_label_is_translated_and_typed_words_are_not():
    from prescreen.quality.models import QualityCheck

    user = factories.applicant()
    with translation.override("en"):
        notify(user, title=gettext_lazy("质检结果：%(case)s · %(outcome)s"),
               title_params={"case": "说明", "outcome": QualityCheck.Outcome("return").label}, body="说明", email=False)
    n = Notification.objects.get(recipient=user)
    assert n.title_params == {"case": "说明", "outcome": {"text": "退回整改", "params": {}}}
    with translation.override("zh-hans"):
        assert n.display_title == "质检结果：说明 · 退回整改"
    with translation.override("en"):
        # "说明" is a catalogue entry too ("Description"), but here it is what a user typed
        assert (n.display_title, n.display_body) == ("Quality check result: 说明 · Return for fix", "说明")


@pytest.mark.django_db
def test_a_jobs_own_title_reads_in_the_viewers_language_and_a_made_title_as_stored():
    from ipcenter.reports import services as reports
    from ipcenter.reports.models import ReportJob

    manager = factories.manager()
    with translation.override("en"):
        job = reports.request_job("stats.overview.xlsx", manager)
    assert job.title == "中心概况（XLSX）"  # the source text, whoever asked
    older = ReportJob.objects.create(kind="stats.overview.xlsx", title="Centre overview (XLSX)", requested_by=manager)
    made = ReportJob.objects.create(kind="stats.overview.xlsx", title="2026 年 11 月报表", requested_by=manager)
    with translation.override("zh-hans"):
        assert (job.display_title, older.display_title, made.display_title) == (
            "中心概况（XLSX）", "中心概况（XLSX）", "2026 年 11 月报表")
    with translation.override("en"):
        assert (job.display_title, older.display_title) == ("Centre overview (XLSX)", "Centre overview (XLSX)")
        notify(manager, title=gettext_lazy("报表已生成：%(title)s"), title_params={"title": job.title_text},
               email=False)
    n = Notification.objects.get(recipient=manager)
    with translation.override("zh-hans"):
        assert n.display_title == "报表已生成：中心概况（XLSX）"
    with translation.override("en"):
        assert n.display_title == "Report ready: Centre overview (XLSX)"


def test_every_job_kind_title_is_a_translatable_text():
    from django.utils.functional import Promise

    from ipcenter.reports.registry import REPORT_KINDS

    assert len(REPORT_KINDS) >= 10
    plain = [code for code, spec in REPORT_KINDS.items() if not isinstance(spec.title, Promise)]
    assert plain == [], "titles made with gettext at import are in one language for every viewer"

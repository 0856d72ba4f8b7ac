"""Deadline names are kept in the source language (with their parameters) and rendered in the
viewer's language when shown: the English UI shows them in English, the Chinese UI (the
default) in Chinese, on the deadlines page, a record's clock panel and the API.  (Needs the
compiled English catalogue, like every English test: ``make test`` compiles it.)"""
import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy
from rest_framework.test import APIClient

from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import open_deadline
from tests import factories

pytestmark = pytest.mark.django_db


def _clocks(user):
    target = factories.OrganizationFactory()
    with translation.override("en"):  # opened while an English-speaking user acts: kept in Chinese
        fixed = open_deadline(target, "test.correction", label=gettext_lazy("提交补正"),
                              rule=Deadline.Rule.WORKING_DAYS, amount=5, assignee=user, url="/")
        templated = open_deadline(target, "test.phase", label=gettext_lazy("导航阶段：%(phase)s"),
                                  label_params={"phase": "专利检索-样例"}, rule=Deadline.Rule.CALENDAR_DAYS,
                                  amount=10, assignee=user, url="/")
    return fixed, templated


def test_a_deadline_is_stored_in_the_source_language_and_shown_in_the_viewers():
    user = factories.manager()
    fixed, templated = _clocks(user)
    fixed.refresh_from_db()
    templated.refresh_from_db()
    assert fixed.label == "提交补正" and templated.label == "导航阶段：%(phase)s"
    assert templated.label_params == {"phase": "专利检索-样例"}
    with translation.override("zh-hans"):
        assert fixed.display_label == "提交补正"
        assert templated.display_label == "导航阶段：专利检索-样例"
    with translation.override("en"):
        assert fixed.display_label == "Submit correction"
        assert templated.display_label == "Navigation phase: 专利检索-样例"


def test_the_deadlines_page_and_api_follow_the_language_cookie():
    user = factories.manager()
    _clocks(user)
    chinese = Client()
    chinese.force_login(user)
    html = chinese.get("/deadlines/").content.decode()
    assert "提交补正" in html and "导航阶段：专利检索-样例" in html
    english = Client()
    english.force_login(user)
    english.cookies.load({"django_language": "en"})
    html = english.get("/deadlines/").content.decode()
    assert "Submit correction" in html and "Navigation phase: 专利检索-样例" in html
    assert "提交补正" not in html
    api = APIClient()
    api.force_authenticate(user)
    labels = {d["label"] for d in api.get("/api/v1/deadlines/").json()["results"]}
    assert labels == {"提交补正", "导航阶段：专利检索-样例"}
    api.cookies.load({"django_language": "en"})
    labels = {d["label"] for d in api.get("/api/v1/deadlines/").json()["results"]}
    assert labels == {"Submit correction", "Navigation phase: 专利检索-样例"}


def test_a_row_written_before_the_parameters_were_kept_shows_its_stored_text():
    user = factories.manager()
    fixed, _ = _clocks(user)
    Deadline.objects.filter(pk=fixed.pk).update(label="人民调解期限：TJ2026001", label_params={})
    fixed.refresh_from_db()
    with translation.override("en"):
        assert fixed.display_label == "人民调解期限：TJ2026001"

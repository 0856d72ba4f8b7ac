"""The generic list page (``ipcenter.generic.ObjectListView``): pages without counting, the total
as a fragment, cached pick lists in the filter bar, dates and hidden filters."""
import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.accounts.models import TechnicalField
from ipcenter.generic import Column
from ipcenter.templatetags.portal import local_dt
from prescreen.models import PreExamCase
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _cases(org, user, n, state=PreExamCase.State.ACCEPTED, field="new-materials"):
    field = factories.field(field)
    start = PreExamCase.objects.count()
    PreExamCase.objects.bulk_create([
        PreExamCase(organization=org, filed_by=user, title=f"列表案件{i}", technical_field=field, applicants=org.name,
                    inventors="张三", state=state, number=f"YS2026{i:05d}", accepted_at=timezone.now())
        for i in range(start, start + n)])


def _rows(response):
    body = response.content.decode()
    return body.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")


def test_a_page_reads_one_row_more_instead_of_counting(client, org, applicant_user, manager_user):
    _cases(org, applicant_user, 30)
    login(client, manager_user)
    url = reverse("prescreen:case-list")
    with CaptureQueriesContext(connection) as captured:
        first = client.get(url)
    assert first.status_code == 200 and _rows(first) == 25
    assert not [q for q in captured.captured_queries if "prescreen_preexamcase" in q["sql"] and "COUNT(" in q["sql"]]
    body = first.content.decode()
    assert "下一页" in body and "上一页" not in body and 'id="page-position"' in body
    second = client.get(url + "?page=2")
    assert _rows(second) == 5
    assert "上一页" in second.content.decode() and "下一页" not in second.content.decode()
    assert client.get(url + "?page=3").status_code == 404
    assert client.get(url + "?page=abc").status_code == 404
    assert client.get(url + "?page=0").status_code == 404


def test_the_total_comes_as_a_fragment_with_the_filters_and_the_scope(client, org, applicant_user, other_applicant,
                                                                      manager_user):
    _cases(org, applicant_user, 30)
    _cases(other_applicant.organization, other_applicant, 4, state=PreExamCase.State.SUBMITTED)
    url = reverse("prescreen:case-list")
    login(client, manager_user)
    page = client.get(url + "?state=accepted&page=2").content.decode()
    count_url = re.search(r'hx-get="([^"]*_count=1[^"]*)"', page).group(1).replace("&amp;", "&")
    assert "state=accepted" in count_url and "page=2" in count_url
    fragment = client.get(url + count_url).content.decode()
    assert "共 30 条" in fragment and "第 2 / 2 页" in fragment and 'hx-swap-oob="true"' in fragment
    assert "共 34 条" in client.get(url + "?_count=1").content.decode()
    assert "共 0 条" in client.get(url + "?_count=1&state=nonsense").content.decode()
    # an applicant's total counts its own organisation only
    login(client, other_applicant)
    assert "共 4 条" in client.get(url + "?_count=1").content.decode()


def test_filter_pick_lists_follow_changes(client, org, applicant_user, manager_user):
    login(client, manager_user)
    url = reverse("prescreen:case-list")
    before = client.get(url).content.decode()
    assert "新建领域甲" not in before
    TechnicalField.objects.create(code="new-x", name="新建领域甲", sort_order=99)
    assert "新建领域甲" in client.get(url).content.decode()
    newcomer = factories.staff(roles.MANAGER, display_name="新来的预审员")
    assert "新来的预审员" not in client.get(url).content.decode()
    newcomer.groups.add(Group.objects.get_or_create(name=roles.EXAMINER)[0])
    assert "新来的预审员" in client.get(url).content.decode()


def test_an_outside_users_examiner_list_is_never_the_cached_staff_list(client, org, applicant_user, manager_user):
    factories.examiner(("biology",), display_name="别人的预审员")
    login(client, manager_user)
    assert "别人的预审员" in client.get(reverse("prescreen:case-list")).content.decode()
    login(client, applicant_user)
    assert "别人的预审员" not in client.get(reverse("prescreen:case-list")).content.decode()


def test_a_hidden_filter_survives_the_filter_bar(client, org, applicant_user, manager_user):
    _cases(org, applicant_user, 2)
    login(client, manager_user)
    body = client.get(reverse("prescreen:case-list") + f"?organization={org.pk}").content.decode()
    form = body.split('class="card card-body mb-3 filter-bar"')[1].split("</form>")[0]
    assert f'name="organization" value="{org.pk}"' in form
    assert 'name="organization"' not in client.get(reverse("prescreen:case-list")).content.decode().split(
        "filter-bar")[1].split("</form>")[0]


def test_dates_show_as_dates_and_moments_in_local_time():
    assert local_dt(datetime.date(2026, 1, 5)) == "2026-01-05"
    assert local_dt(datetime.date(2026, 1, 5), "%Y年%m月%d日") == "2026年01月05日"
    moment = datetime.datetime(2026, 1, 5, 17, 30, tzinfo=datetime.timezone.utc)
    assert local_dt(moment) == "2026-01-06 01:30"  # Asia/Shanghai
    assert Column("created_at", "登记时间", date_only=True).display(moment) == "2026-01-06"
    assert Column("due", "期限").display(datetime.date(2026, 2, 1)) == "2026-02-01"


def test_cell_text_escapes_and_formats_like_the_templates():
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.timezone import get_current_timezone

    from ipcenter.generic import cell_text, person_label

    tz = get_current_timezone()
    for text in ('<b>"甲&乙"</b>', "O'Brien", 42, ""):
        assert cell_text(text, tz) == escape(text)
    assert cell_text(mark_safe("<i>ok</i>"), tz) == "<i>ok</i>"
    assert cell_text(None, tz) == ""
    moment = datetime.datetime(2026, 1, 5, 17, 30, tzinfo=datetime.timezone.utc)
    assert cell_text(moment, tz) == local_dt(moment) == "2026-01-06 01:30"
    assert cell_text(moment, tz, date_only=True) == "2026-01-06"
    assert cell_text(datetime.date(2026, 2, 1), tz) == "2026-02-01"
    assert person_label("王主任", "", "", "wang") == "王主任"
    assert person_label("", "三", "张", "zhang") == "三 张"
    assert person_label("", "", "", "zhang") == "zhang"
    assert person_label(None, None, None, None) == ""


def test_value_rows_and_model_rows_render_the_same_cells(client, org, applicant_user, manager_user):
    from prescreen.views import CaseListView

    _cases(org, applicant_user, 3)
    case = PreExamCase.objects.first()
    case.examiner = factories.examiner(("new-materials",), display_name="孙<预审>")
    case.save()
    view = CaseListView()
    view.request = type("R", (), {"user": manager_user, "GET": {}})()
    qs = view.refine_queryset(PreExamCase.objects.order_by("pk"))
    view.values_rows = False
    _rows_m, by_model = view.render_rows(list(qs))
    view.values_rows = True
    _rows_v, by_values = view.render_rows(list(qs.values(*view.value_paths())))
    assert by_model == by_values
    assert "孙&lt;预审&gt;" in by_values and "已受理" in by_values


def test_a_pick_list_is_reread_when_another_process_renews_the_version():
    from django.core.cache import cache

    from ipcenter import picklists

    reads = []

    def read():
        reads.append(1)
        return [(1, "甲")]

    assert picklists.choices("probe", read) == [(1, "甲")]
    assert picklists.choices("probe", read) == [(1, "甲")] and len(reads) == 1  # cached
    cache.set(picklists.VERSION_KEY, "renewed-elsewhere", None)  # what another process's save does
    picklists._seen.update(at=0.0)  # this process re-reads the version (at most VERSION_REREAD s later)
    picklists.choices("probe", read)
    assert len(reads) == 2

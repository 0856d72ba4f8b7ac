"""The speed measures of the statistics change no figure: the grouping-sets scan equals one
grouped query per breakdown, and the figures-only computation of the comparison periods
equals the full one."""
import datetime as dt
import decimal

import pytest
from django.db.models import Case, F, When

from ipcenter.stats.aggregate import _one_query_per_set, grouping_sets
from ipcenter.stats.figures import FIGURE_PROVIDERS, compute
from ipcenter.stats.selection import resolve_scope, sections
from tests import factories

from .test_figures import RANGE, assistance, cases, holidays_2027  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _canonical(result):
    return {name: sorted((tuple(sorted((k, str(v)) for k, v in row.items())) for row in rows))
            for name, rows in result.items()}


def test_grouping_sets_equal_one_grouped_query_per_set(db):
    from rightsaid.models import AssistanceCase

    ws, hohhot = factories.station("baotou-steel"), factories.station("hohhot")
    for i, (kind, station, claimed) in enumerate((("assistance", ws, "100.50"), ("assistance", ws, None),
                                                  ("overseas", hohhot, "20"), ("complaint", hohhot, "5"))):
        AssistanceCase.objects.create(number=f"GS-{i}", kind=kind, case_type="other", title="案", description="d",
                                      station=station, country="蒙古国" if kind == "overseas" else "",
                                      amount_claimed=decimal.Decimal(claimed) if claimed else None)
    qs = AssistanceCase.objects.all()
    sets = {"total": [], "kind": ["kind"], "station": ["station__name"], "country": ["kind", "country"]}
    sums = {"claimed": F("amount_claimed"), "overseas": Case(When(kind="overseas", then=1), default=0)}
    one_scan = grouping_sets(qs, sets, sums)
    assert _canonical(one_scan) == _canonical(_one_query_per_set(qs, sets, sums))
    assert one_scan["total"] == [{"n": 4, "claimed": decimal.Decimal("125.50"), "overseas": 1}]
    assert {r["kind"]: r["n"] for r in one_scan["kind"]} == {"assistance": 2, "overseas": 1, "complaint": 1}
    by_station = {r["station__name"]: (r["n"], r["claimed"]) for r in one_scan["station"]}
    assert by_station[ws.name] == (2, decimal.Decimal("100.50"))
    assert {(r["kind"], r["country"]) for r in one_scan["country"]} == {
        ("assistance", ""), ("overseas", "蒙古国"), ("complaint", "")}
    # an empty queryset: the whole-set row is still there, with count 0
    empty = grouping_sets(qs.filter(kind="enforcement"), sets, sums)
    assert empty["total"] == [{"n": 0, "claimed": None, "overseas": None}] and empty["kind"] == []


def test_comparison_figures_equal_the_full_computation(cases, assistance, manager_user):  # noqa: F811
    for params in (RANGE, {**RANGE, "station": "baotou"}, {"period": "month", "year": "2026", "month": "10"}):
        scope = resolve_scope(manager_user, params)
        for code in FIGURE_PROVIDERS:
            full, brief = compute(code, scope), compute(code, scope.with_period(scope.period, detail=False))
            assert [(f.code, f.value) for f in brief.figures] == [(f.code, f.value) for f in full.figures], code
    scope = resolve_scope(manager_user, RANGE)
    full = compute("rightsaid", scope)
    assert full.tables and not compute("rightsaid", scope.with_period(scope.period, detail=False)).tables


def test_dashboard_comparison_uses_the_previous_period_figures(cases, assistance, manager_user):  # noqa: F811
    scope = resolve_scope(manager_user, {"period": "month", "year": "2026", "month": "11"})
    data = {s.code: s for s in sections(scope, compare=True)}
    october = compute("prescreen", resolve_scope(manager_user, {"period": "month", "year": "2026", "month": "10"}))
    received = data["prescreen"].figure("cases_received")
    assert received.previous == october.value("cases_received") == 1  # 拒收 (国庆 was submitted on 09-30)
    assert data["rightsaid"].figure("consultations").previous == 3
    assert dt.date(2026, 10, 1) == scope.period.previous().start


COUNTED = {  # figures that count records, and the list each links to must show the same total
    "prescreen": ("cases_received", "cases_accepted", "cases_refused", "cnipa_filings"),
    "rightsaid": ("consultations", "consultations_12330", "consultations_walk_in", "cases", "assistance_cases",
                  "overseas", "patent_infringement", "trademark_infringement", "cases_closed", "exhibitions",
                  "exhibition_complaints"),
}


@pytest.mark.parametrize("params", [RANGE, {**RANGE, "station": "baotou"}])
def test_each_counted_figure_links_to_a_list_with_the_same_total(client, cases, assistance, manager_user,  # noqa: F811
                                                                 params):
    from tests.conftest import login

    login(client, manager_user)
    scope = resolve_scope(manager_user, params)
    for code, figure_codes in COUNTED.items():
        section = compute(code, scope)
        for figure_code in figure_codes:
            f = section.figure(figure_code)
            assert f.link, figure_code
            sep = "&" if "?" in f.link else "?"
            page = client.get(f.link + sep + "_count=1")
            assert page.status_code == 200, (figure_code, f.link)
            assert f"共 {f.value} 条" in page.content.decode(), (figure_code, f.value, f.link)
    # the rates and durations link to the rows they are computed over
    pre = compute("prescreen", scope)
    assert "concluded_after=2026-09-01" in pre.figure("turnaround_median").link
    assert "cnipa_outcome_after=2026-09-01" in pre.figure("grant_rate").link

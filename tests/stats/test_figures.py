"""Each figure equals a hand-computed value on a small fixture."""
import datetime as dt
import decimal

import pytest
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.deadlines.models import CalendarOverride, Deadline
from ipcenter.stats.figures import Period, compute
from ipcenter.stats.selection import parse_period, resolve_scope
from ipcenter.stats.workdays import nearest_rank, working_day_counts
from prescreen.models import PreExamCase, Registration
from tests import factories

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
RANGE = {"period": "range", "start": "2026-09-01", "end": "2027-01-31"}


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=TZ)


@pytest.fixture
def holidays_2027(db):
    # 2027 is not in the holiday package: the override table supplies New Year's Day
    CalendarOverride.objects.create(date=dt.date(2027, 1, 1), is_working_day=False, note="元旦")


def test_working_days_across_national_day_and_the_year_boundary(holidays_2027):
    from ipcenter.deadlines.calendar import WorkingCalendar

    counts = working_day_counts([(dt.date(2026, 9, 30), dt.date(2026, 10, 9), 1),   # 10-08, 10-09
                                 (dt.date(2026, 12, 30), dt.date(2027, 1, 5), 2)])  # 12-31, 01-04, 01-05
    assert counts == [(2, 1), (3, 2)]
    cal = WorkingCalendar()
    assert cal.working_days_between(dt.date(2026, 12, 30), dt.date(2027, 1, 5)) == 3
    assert nearest_rank([(2, 1), (3, 2)], 0.5) == 3 and nearest_rank([(2, 1), (3, 2)], 0.3) == 2
    assert nearest_rank([], 0.5) is None


@pytest.fixture
def cases(holidays_2027, org, applicant_user):
    field = factories.field("biology")
    baotou_org = factories.OrganizationFactory(league=factories.station("baotou"))
    common = dict(filed_by=applicant_user, technical_field=field, applicants="甲", inventors="乙")

    def case(title, accepted, concluded, state="qualified", organization=org, **kw):
        return PreExamCase.objects.create(title=title, organization=organization, state=state,
                                          submitted_at=accepted - dt.timedelta(hours=2), accepted_at=accepted,
                                          concluded_at=concluded, **common, **kw)

    case("国庆", at(2026, 9, 30), at(2026, 10, 9), correction_rounds=1, cnipa_outcome="grant",
         cnipa_outcome_date=dt.date(2026, 11, 20), cnipa_filed_on=dt.date(2026, 10, 12))   # 2 wd, 51 days
    case("跨年", at(2026, 12, 30), at(2027, 1, 5, 16), cnipa_outcome="rejection",
         cnipa_outcome_date=dt.date(2027, 1, 20))                                          # 3 wd
    case("十天", at(2026, 11, 2), at(2026, 11, 16))                                        # 10 wd
    case("两天", at(2026, 11, 2), at(2026, 11, 4), state="unqualified")                    # 2 wd
    case("包头", at(2026, 11, 2), at(2026, 11, 3), organization=baotou_org)                # 1 wd
    PreExamCase.objects.create(title="拒收", organization=org, state="refused", submitted_at=at(2026, 10, 20),
                               **common)
    PreExamCase.objects.create(title="期外", organization=org, state="qualified", submitted_at=at(2026, 3, 1),
                               accepted_at=at(2026, 3, 2), concluded_at=at(2026, 3, 5), **common)
    Registration.objects.create(organization=org, state="registered", established_on=dt.date(2020, 1, 1),
                                insured_staff=10, contact_name="王", contact_phone="1", decided_at=at(2026, 10, 1))
    Registration.objects.create(organization=baotou_org, state="suspended", established_on=dt.date(2020, 1, 1),
                                insured_staff=10, contact_name="李", contact_phone="1", decided_at=at(2025, 10, 1))
    return org


def test_prescreen_figures_whole_centre(cases, manager_user):
    s = compute("prescreen", resolve_scope(manager_user, RANGE))
    v = s.value
    assert v("cases_received") == 6 and v("cases_accepted") == 5 and v("cases_refused") == 1
    # turnaround over the five concluded cases: [1, 2, 2, 3, 10] working days
    assert v("turnaround_median") == 2 and v("turnaround_p90") == 10 and v("turnaround_within") == 80.0
    assert v("qualified_rate") == 80.0 and v("correction_rounds") == 0.2
    assert v("grant_rate") == 50.0 and v("grant_days") == 51.0 and v("grant_cycle_reference") == 16
    assert v("cnipa_filings") == 1
    assert v("entities_new") == 1 and v("entities_active") == 1 and v("entities_suspended") == 1
    assert v("entities_total") == 2  # the suspended entity was registered in 2025
    by_league = dict(map(tuple, next(t for t in s.tables if t.code == "by_league").rows))
    assert by_league == {"呼和浩特市知识产权保护分中心": 5, "包头市知识产权保护分中心": 1}
    assert "/prescreen/cases/" in s.figure("cases_accepted").link
    assert "accepted_after=2026-09-01" in s.figure("cases_accepted").link


def test_prescreen_figures_of_one_league(cases, manager_user):
    scope = resolve_scope(manager_user, {**RANGE, "station": "baotou"})
    v = compute("prescreen", scope).value
    assert v("cases_received") == 1 and v("turnaround_median") == 1 and v("entities_suspended") == 1
    assert v("entities_active") == 0
    assert f"league={factories.station('baotou').pk}" in compute("prescreen", scope).figure("cases_received").link


def test_turnaround_without_the_2027_override_counts_new_years_day(cases, manager_user):
    CalendarOverride.objects.all().delete()
    s = compute("prescreen", resolve_scope(manager_user, {"period": "month", "year": "2027", "month": "1"}))
    assert s.value("turnaround_median") == 4  # 12-31, 01-01 (now a weekday), 01-04, 01-05


@pytest.fixture
def assistance(db, manager_user):
    from rightsaid.models import AssistanceCase, Consultation, Exhibition, ExhibitionComplaint, Referral
    from rightsaid.services import REVIEW
    from django.contrib.contenttypes.models import ContentType

    baotou, ws = factories.station("baotou"), factories.station("baotou-steel")
    hohhot = factories.station("hohhot")
    for channel, station in (("12330", ws), ("12330", baotou), ("walk_in", hohhot), ("online", hohhot)):
        c = Consultation.objects.create(channel=channel, topic="专利侵权咨询", requester_name="张", question="?",
                                        station=station)
        Consultation.objects.filter(pk=c.pk).update(created_at=at(2026, 10, 10))
    Consultation.objects.filter(channel="online").update(created_at=at(2026, 8, 1))  # outside the period
    made = []
    for kind, case_type, station, claimed in (("assistance", "patent_infringement", ws, "1000.50"),
                                              ("assistance", "trademark_infringement", baotou, "200"),
                                              ("overseas", "patent_infringement", hohhot, None)):
        case = AssistanceCase.objects.create(number=f"RA-{len(made)}", kind=kind, case_type=case_type, title="案", description="d",
                                             station=station, country="蒙古国" if kind == "overseas" else "",
                                             amount_claimed=decimal.Decimal(claimed) if claimed else None)
        AssistanceCase.objects.filter(pk=case.pk).update(created_at=at(2026, 10, 12))
        made.append(case)
    ct = ContentType.objects.get_for_model(AssistanceCase)
    for case, closed in ((made[0], at(2026, 10, 14)), (made[1], at(2026, 10, 30))):
        Deadline.objects.create(content_type=ct, object_id=case.pk, kind=REVIEW, label="受理审查", rule="working",
                                amount=5, starts_at=at(2026, 10, 12), due_at=at(2026, 10, 19, 23),
                                state="met", closed_at=closed)
    ref = Referral.objects.create(case=made[0], authority="court")
    Referral.objects.filter(pk=ref.pk).update(referred_at=at(2026, 10, 15), feedback_at=at(2026, 12, 1))
    ref2 = Referral.objects.create(case=made[1], authority="police")
    Referral.objects.filter(pk=ref2.pk).update(referred_at=at(2026, 10, 15), feedback_at=at(2027, 1, 30))
    ex = Exhibition.objects.create(name="农博会", venue="呼和浩特", start_date=dt.date(2026, 10, 1),
                                   end_date=dt.date(2026, 10, 3), station=hohhot)
    comp = ExhibitionComplaint.objects.create(exhibition=ex, complainant="甲", respondent="乙", description="x")
    ExhibitionComplaint.objects.filter(pk=comp.pk).update(created_at=at(2026, 10, 1, 9), answered_at=at(2026, 10, 1, 20))
    return made


def test_rightsaid_figures(assistance, manager_user):
    s = compute("rightsaid", resolve_scope(manager_user, RANGE))
    v = s.value
    assert v("consultations") == 3 and v("consultations_12330") == 2 and v("consultations_walk_in") == 1
    assert v("consultations_online") == 0
    assert v("cases") == 3 and v("assistance_cases") == 2 and v("overseas") == 1
    assert v("patent_infringement") == 2 and v("trademark_infringement") == 1
    assert v("review_on_time") == 50.0
    assert v("referrals") == 2 and v("referral_feedback_on_time") == 50.0  # 47 days vs 107 days
    assert v("exhibitions") == 1 and v("exhibition_complaints") == 1 and v("exhibition_answer_on_time") == 100.0
    assert v("amount_claimed") == 1200.5
    countries = next(t for t in s.tables if t.code == "overseas_by_country").rows
    assert countries == [["蒙古国", 1]]
    baotou = compute("rightsaid", resolve_scope(manager_user, {**RANGE, "station": "baotou"})).value
    assert baotou("consultations") == 2 and baotou("cases") == 2 and baotou("exhibitions") == 0
    steel = compute("rightsaid", resolve_scope(manager_user, {**RANGE, "station": "baotou-steel"})).value
    assert steel("consultations") == 1 and steel("referrals") == 1


def test_mediation_figures(db, manager_user):
    from rightsaid.mediation.models import Dispute, JudicialConfirmation

    st = factories.station("hohhot")
    rows = []
    for state, started, ended in (("agreement", at(2026, 10, 1), at(2026, 10, 11)),
                                  ("confirmed", at(2026, 10, 1), at(2026, 10, 21)),
                                  ("failed", at(2026, 10, 1), at(2026, 10, 31)),
                                  ("withdrawn", at(2026, 10, 1), at(2026, 10, 5))):
        d = Dispute.objects.create(number=f"M-{state}", station=st, subject="s", ip_type="patent", state=state,
                                   started_at=started, ended_at=ended)
        Dispute.objects.filter(pk=d.pk).update(created_at=at(2026, 9, 20))
        rows.append(d)
    JudicialConfirmation.objects.create(dispute=rows[1], applied_on=dt.date(2026, 10, 25), court="法院",
                                        result="confirmed")
    v = compute("mediation", resolve_scope(manager_user, RANGE)).value
    assert v("disputes") == 4 and v("mediations_ended") == 3 and v("agreements") == 2
    assert v("mediation_success_rate") == 66.7 and v("mediation_avg_days") == 20.0
    assert v("judicial_confirmations") == 1 and v("judicial_confirmed") == 1
    assert compute("mediation", resolve_scope(manager_user, {**RANGE, "station": "baotou"})).value("disputes") == 0


def test_quality_section_reuses_the_quality_statistics(db, manager_user, monkeypatch):
    from prescreen.quality import figures as qf

    seen = {}

    def fake(user, date_from, date_to):
        seen.update(user=user, span=(date_from, date_to))
        return {"total": {"checks": 4, "error_rate": 25.0, "avg_score": 91.5},
                "consistency": {"rate": 80.0, "total": 5},
                "by_level": [{"label": "互检", "checks": 4, "with_errors": 1, "error_rate": 25.0, "avg_score": 91.5}],
                "by_category": []}

    monkeypatch.setattr(qf, "quality_stats", fake)
    s = compute("quality", resolve_scope(manager_user, RANGE))
    assert seen["span"] == (dt.date(2026, 9, 1), dt.date(2027, 1, 31))
    assert s.value("qc_error_rate") == 25.0 and s.value("qc_consistency") == 80.0
    assert compute("quality", resolve_scope(manager_user, {**RANGE, "station": "baotou"})).figures == []


def test_periods():
    assert Period.month(2026, 12) == Period(dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert Period.month(2026, 3).previous() == Period.month(2026, 2)
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.year(2026).last_year() == Period.year(2025)
    assert Period(dt.date(2026, 1, 10), dt.date(2026, 1, 19)).previous() == Period(dt.date(2025, 12, 31),
                                                                                   dt.date(2026, 1, 9))
    assert Period(dt.date(2024, 2, 29), dt.date(2024, 3, 5)).last_year().start == dt.date(2023, 2, 28)
    assert parse_period({"period": "opening"}, today=dt.date(2026, 12, 1)).start == dt.date(2022, 9, 28)
    assert parse_period({"period": "quarter", "year": "2026", "quarter": "3"}) == Period.quarter(2026, 3)
    from django.core.exceptions import ValidationError
    for bad in ({"period": "x"}, {"period": "month", "month": "13"}, {"period": "range", "start": "2026-02-01",
                                                                       "end": "2026-01-01"},
                {"period": "range", "start": "nope", "end": ""}, {"period": "year", "year": "abc"},
                {"period": "range", "start": "0001-01-01", "end": "0001-01-02"},
                {"period": "range", "start": "2026-01-01", "end": "9999-12-31"}, {"period": "year", "year": "99999"}):
        with pytest.raises(ValidationError):
            parse_period(bad)


def test_station_staff_get_their_subtree(db):
    user = factories.staff(roles.STATION_STAFF, "baotou")
    scope = resolve_scope(user, {})
    assert scope.station.code == "baotou" and not scope.is_whole_centre
    assert resolve_scope(user, {"station": "baotou-steel"}).station.code == "baotou-steel"


def test_network_section(db, manager_user):
    from ipcenter.accounts.models import Station

    factories.OrganizationFactory(league=factories.station("baotou"))
    whole = compute("network", resolve_scope(manager_user, RANGE))
    assert whole.value("stations") == Station.objects.exclude(kind="centre").count()
    baotou = compute("network", resolve_scope(manager_user, {**RANGE, "station": "baotou"}))
    assert baotou.value("stations") == Station.objects.filter(path__startswith="centre/baotou/").count()
    assert baotou.value("organizations") == 1 + int(manager_user.organization_id is not None)

"""Demo data goes through the services and the statistics read it; the pre-exam selector."""
import datetime
import io

import pytest

from ipcenter.accounts import roles
from ipcenter.plugins import select
from outreach.models import Event, PracticeBase, Publication, Registration
from tests import factories

pytestmark = pytest.mark.django_db


def test_seed_and_figures(outreach_user):
    from django.utils import timezone

    from ipcenter.querysets import StationScope
    from ipcenter.stats.figures import FIGURE_PROVIDERS, Period, StatsScope
    from outreach.seed import seed

    applicant = factories.applicant()
    seed({"users": {"outreach": outreach_user, "applicant": applicant}, "stdout": io.StringIO(), "volume": "small"})
    assert PracticeBase.objects.count() == 18
    # each base is hosted by a firm of its own, so the bases have more firms than the demo has companies
    assert PracticeBase.firms.through.objects.values("organization").distinct().count() >= 18
    journal = Publication.objects.filter(kind="journal_issue").order_by("-published_on").first()
    from ipcenter.files.services import attachments_of
    assert attachments_of(journal).exists()
    assert Event.objects.filter(kind=Event.Kind.OPEN_DAY).count() == 1
    assert Event.objects.filter(kind=Event.Kind.BASE_VISIT).count() == 6
    # the coming three months: 8–12 events across the leagues, some with people registered already,
    # one full with a waiting list, one by invitation, one online, one needing approval
    now = timezone.now()
    coming = Event.objects.filter(starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=92), published=True)
    assert 8 <= coming.count() <= 12
    assert coming.values("station").distinct().count() >= 8
    assert coming.filter(registrations__isnull=False).distinct().count() >= 5
    assert coming.filter(registrations__state="waiting").exists() and coming.filter(registrations__state="pending").exists()
    assert coming.filter(audience="invited").exists() and coming.filter(kind=Event.Kind.ONLINE).exclude(online_url="").exists()
    assert all(e.registration_open() for e in coming)
    assert Registration.objects.filter(user=applicant, event__in=coming).exists()  # the demo applicant's ticket
    assert set(Publication.objects.values_list("channel", flat=True)) == {"web", "wechat", "douyin", "journal"}
    attended = Registration.objects.filter(checked_in_at__isnull=False).count()
    assert attended > 50
    for event in Event.objects.all():
        assert event.registrations.filter(state="confirmed").count() <= event.capacity
    today = timezone.localdate()
    scope = StatsScope(user=outreach_user, period=Period(today.replace(year=today.year - 2), today),
                       stations=StationScope.all())
    section = FIGURE_PROVIDERS["outreach"].func(scope)
    values = {f.code: f.value for f in section.figures}
    assert values["attendance"] == attended
    assert values["publications"] == Publication.objects.count()
    assert 0 < values["attendance_rate"] <= 100
    # reach by channel and month: every month's channels add up to the period's views
    from django.db.models import Sum

    tables = {t.code: t for t in section.tables}
    monthly = tables["reach_by_channel_month"]
    assert monthly.columns[1:5] == ["网站", "微信公众号", "抖音", "期刊"]
    assert sum(row[-1] for row in monthly.rows) == values["media_views"] == Publication.objects.aggregate(v=Sum("views"))["v"]
    assert all(row[-1] == sum(row[1:-1]) for row in monthly.rows)
    from dataclasses import replace

    assert not FIGURE_PROVIDERS["outreach"].func(replace(scope, detail=False)).tables
    baotou = StatsScope(user=outreach_user, period=scope.period,
                        stations=StationScope.subtree(factories.station("baotou").path))
    assert FIGURE_PROVIDERS["outreach"].func(baotou).figures[0].value == Event.objects.filter(
        station__path__startswith="centre/baotou/", **scope.period.lookup("starts_at")).count() > 0


def test_prescreen_selector_counts_cases_by_organisation_and_state():
    from django.utils import timezone

    from prescreen.models import PreExamCase

    assert select("prescreen.cases_of_organizations", [], default="missing") == []
    org, other = factories.OrganizationFactory(), factories.OrganizationFactory()
    user = factories.applicant(org)

    def case(o, state):
        return PreExamCase.objects.create(organization=o, filed_by=user, title="一种材料", technical_field=factories.field("biology"),
                                          applicants=o.name, inventors="张三", state=state, submitted_at=timezone.now())

    case(org, PreExamCase.State.SUBMITTED), case(org, PreExamCase.State.SUBMITTED)
    case(org, PreExamCase.State.QUALIFIED), case(org, PreExamCase.State.DRAFT), case(other, PreExamCase.State.QUALIFIED)
    rows = select("prescreen.cases_of_organizations", [org.pk])
    assert {(r["state"], r["count"]) for r in rows} == {("submitted", 2), ("qualified", 1)}
    assert all(r["organization_id"] == org.pk for r in rows) and rows[0]["state_label"]


def test_base_page_and_activity_log(client, outreach_user):
    from tests.conftest import login

    from outreach.services import save_practice_base

    base = save_practice_base(PracticeBase(name="实践基地（乳业）", industry_chain="乳业", host_organization="蒙乳",
                                           league=factories.station("hohhot"), opened_on="2024-04-26"), outreach_user,
                              firms=[factories.OrganizationFactory(name="入驻乳企")])
    login(client, outreach_user)
    page = client.get(f"/outreach/bases/{base.pk}/").content.decode()
    assert "入驻乳企" in page
    r = client.post(f"/outreach/bases/{base.pk}/", {"kind": "cases_guided", "date": "2026-05-01", "count": "0"})
    assert r.status_code == 400 and not base.activities.exists()
    r = client.post(f"/outreach/bases/{base.pk}/", {"kind": "cases_guided", "date": "2026-05-01", "count": "7"})
    assert r.status_code == 302 and base.activities.get().count == 7
    other = factories.staff(roles.EXAMINER)
    login(client, other)
    assert client.get(f"/outreach/bases/{base.pk}/").status_code in (403, 404)
    assert client.get("/api/v1/outreach/practice-bases/").json()["results"] == []
    assert len(client.get("/api/v1/outreach/public/practice-bases/").json()["results"]) == 1


def test_reach_csv_import_all_or_nothing(client, outreach_user, django_capture_on_commit_callbacks):
    """The import is a background job (tests/outreach/test_reach_import.py has the details)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipcenter.reports.models import Job
    from tests.conftest import login

    p = Publication.objects.create(kind="animation", title="安安知道", channel="douyin", published_on="2026-04-26")
    login(client, outreach_user)
    bad = SimpleUploadedFile("r.csv", f"id,views,likes,shares\n{p.pk},10,2,1\n999999,1,1,1\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/outreach/publications/import/", {"file": bad}).status_code == 302
    assert Job.objects.get().status == Job.Status.FAILED
    p.refresh_from_db()
    assert p.views == 0
    good = SimpleUploadedFile("r.csv", f"id,views,likes,shares\n{p.pk},10,2,1\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/outreach/publications/import/", {"file": good}).status_code == 302
    p.refresh_from_db()
    assert (p.views, p.likes, p.shares) == (10, 2, 1)

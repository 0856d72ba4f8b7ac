"""Station subtree / organisation scoping (404 otherwise) for HTML and API, form errors, list query counts."""
import pytest
from django.urls import reverse

from ipcenter.accounts import roles
from rightsaid import services
from rightsaid.models import AssistanceCase, Consultation
from tests import factories
from tests.factories import station

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ws_a = f.worker("hohhot-etdz")
    cons = f.consultation(ws_a, station=station("hohhot-etdz"))
    case = f.case(ws_a, code="hohhot-etdz")
    ex = f.exhibition("hohhot-etdz")
    comp = services.file_exhibition_complaint(ws_a, exhibition=ex, complainant="甲", respondent="乙公司",
                                              description="x")
    return {"consultation": cons, "case": case, "exhibition": ex, "complaint": comp}


HTML = {"consultation": "rightsaid:consultation-detail", "case": "rightsaid:case-detail",
        "exhibition": "rightsaid:exhibition-detail", "complaint": "rightsaid:complaint-detail"}
API = {"consultation": "consultations", "case": "cases", "exhibition": "exhibitions", "complaint": "complaints"}


@pytest.mark.parametrize("kind", list(HTML))
@pytest.mark.parametrize("who,visible", [("ws_a", True), ("league", True), ("centre_mgr", True),
                                         ("ws_b", False), ("other_league", False)])
def test_station_subtree_scoping_html_and_api(client, world, kind, who, visible):
    users = {
        "ws_a": lambda: f.worker("hohhot-etdz"),
        "league": lambda: f.worker("hohhot"),
        "centre_mgr": lambda: factories.manager(),
        "ws_b": lambda: f.worker("hohhot-jinshan"),
        "other_league": lambda: f.worker("baotou"),
    }
    client.force_login(users[who]())
    obj = world[kind]
    r = client.get(reverse(HTML[kind], args=[obj.pk]))
    assert r.status_code == (200 if visible else 404)
    r = client.get(f"/api/v1/rightsaid/{API[kind]}/{obj.pk}/")
    assert r.status_code == (200 if visible else 404)
    r = client.get(f"/api/v1/rightsaid/{API[kind]}/")
    ids = [row["id"] for row in r.json()["results"]]
    assert (obj.pk in ids) == visible


def test_company_user_sees_only_own_requests(client):
    org_a, org_b = factories.OrganizationFactory(), factories.OrganizationFactory()
    a, b = factories.applicant(org_a), factories.applicant(org_b)
    mine = services.open_case(a, station=station("hohhot"), kind="assistance", case_type="patent_infringement",
                              title="我的申请", description="说明")
    theirs = services.open_case(b, station=station("hohhot"), kind="assistance", case_type="patent_infringement",
                                title="别人的申请", description="说明")
    client.force_login(a)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/rightsaid/cases/{theirs.pk}/").status_code == 404
    page = client.get(reverse("rightsaid:my-requests")).content.decode()
    assert "我的申请" in page and "别人的申请" not in page
    # staff pages are not for company users
    assert client.get(reverse("rightsaid:case-list")).status_code == 403
    cons = f.consultation(f.worker("hohhot"))
    assert client.get(reverse("rightsaid:consultation-detail", args=[cons.pk])).status_code == 404
    assert client.get(f"/api/v1/rightsaid/consultations/{cons.pk}/").status_code == 404


def test_company_online_request_with_evidence(client):
    app = factories.applicant()
    client.force_login(app)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    from django.core.files.uploadedfile import SimpleUploadedFile
    r = client.post(reverse("rightsaid:request"), {
        "kind": "assistance", "case_type": "trademark_infringement", "title": "网店售假", "description": "证据见附件",
        "requester_name": "李四", "station": station("hohhot").pk,
        "evidence_files": [SimpleUploadedFile("公证书.pdf", pdf, "application/pdf")]})
    assert r.status_code == 302
    case = AssistanceCase.objects.get(title="网店售假")
    assert case.requester_org == app.organization and case.attachments.count() == 1
    assert "网店售假" in client.get(reverse("rightsaid:my-requests")).content.decode()


def test_bad_consultation_input_gives_field_errors_and_changes_nothing(client):
    client.force_login(f.worker("hohhot"))
    r = client.post(reverse("rightsaid:consultation-create"), {"channel": "nope", "duration_minutes": "-3"})
    assert r.status_code == 400
    form = r.context["form"]
    assert {"channel", "topic", "question", "duration_minutes"} <= set(form.errors)
    assert "这个字段是必填项" in str(form.errors["topic"]) or "必填" in str(form.errors["topic"])
    assert Consultation.objects.count() == 0


def test_bad_api_input_gives_field_errors(client):
    client.force_login(f.worker("hohhot"))
    r = client.post("/api/v1/rightsaid/cases/", {"kind": "overseas", "case_type": "x", "title": ""},
                    content_type="application/json")
    assert r.status_code == 400 and "case_type" in r.json()
    r = client.post("/api/v1/rightsaid/cases/", {"kind": "overseas", "case_type": "copyright", "title": "海外",
                                                 "description": "d", "station": station("hohhot").pk},
                    content_type="application/json")
    assert r.status_code == 400 and "country" in r.json()
    assert AssistanceCase.objects.count() == 0


def test_api_workflow_and_refusal(client):
    u = f.worker("hohhot")
    client.force_login(u)
    cons = f.consultation(u)
    r = client.post(f"/api/v1/rightsaid/consultations/{cons.pk}/convert/", {"case_type": "counterfeit_patent"},
                    content_type="application/json")
    assert r.status_code == 201
    pk = r.json()["id"]
    assert client.post(f"/api/v1/rightsaid/cases/{pk}/close/", {"outcome": "resolved"},
                       content_type="application/json").status_code == 400
    assert client.post(f"/api/v1/rightsaid/cases/{pk}/accept/").json()["state"] == "accepted"
    r = client.post(f"/api/v1/rightsaid/cases/{pk}/refer/", {"authority": "customs"},
                    content_type="application/json")
    assert r.status_code == 201
    ref = r.json()["id"]
    r = client.post(f"/api/v1/rightsaid/cases/{pk}/feedback/", {"referral": ref, "feedback": "已扣留"},
                    content_type="application/json")
    assert r.status_code == 200
    r = client.post(f"/api/v1/rightsaid/cases/{pk}/close/", {"outcome": "penalised", "amount_recovered": "1000"},
                    content_type="application/json")
    assert r.json()["state"] == "closed"


def test_html_journey_decline_needs_reason(client):
    u = f.worker("hohhot")
    client.force_login(u)
    case = f.case(u)
    url = reverse("rightsaid:case-transition", args=[case.pk, "decline"])
    client.post(url, {"comment": ""})
    case.refresh_from_db()
    assert case.state == "intake"
    client.post(url, {"comment": "超出受理范围"})
    case.refresh_from_db()
    assert case.state == "declined"


def test_pages_render(client):
    u = f.worker("hohhot")
    client.force_login(u)
    f.case(u)
    f.consultation(u)
    for name in ["index", "consultation-list", "case-list", "exhibition-list", "complaint-list",
                 "consultation-create", "case-create", "exhibition-create"]:
        assert client.get(reverse(f"rightsaid:{name}")).status_code == 200, name
    r = client.get(reverse("rightsaid:case-list") + "?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(reverse("rightsaid:case-list") + "?overdue=1&station=" + str(station("hohhot").pk)
                      ).status_code == 200


@pytest.mark.parametrize("name,make", [
    ("rightsaid:case-list", lambda u, i: f.case(u)),
    ("rightsaid:consultation-list", lambda u, i: f.consultation(u)),
    ("rightsaid:complaint-list", lambda u, i: services.file_exhibition_complaint(
        u, exhibition=f.exhibition(), complainant="甲", respondent=f"乙{i}", description="x")),
])
def test_list_query_count_constant(client, django_assert_max_num_queries, name, make):
    u = f.worker("hohhot")
    client.force_login(u)
    for i in range(3):
        make(u, i)
    with django_assert_max_num_queries(30) as ctx:
        client.get(reverse(name))
    base = len(ctx.captured_queries)
    for i in range(3, 15):
        make(u, i)
    with django_assert_max_num_queries(base):
        client.get(reverse(name))


def test_exhibition_page_shows_repeat_infringer_badge_and_answer_closes_clock(client):
    import datetime
    from ipcenter.deadlines.models import Deadline
    u = f.worker("hohhot")
    client.force_login(u)
    early = f.exhibition(start=datetime.date(2025, 3, 1), name="早期展会")
    late = f.exhibition(start=datetime.date(2026, 3, 1), name="后期展会")
    services.file_exhibition_complaint(u, exhibition=early, complainant="甲", respondent="某磁材有限公司",
                                       description="x")
    r = client.post(reverse("rightsaid:complaint-create", args=[late.pk]),
                    {"complainant": "乙", "respondent": "某磁材公司", "booth": "B2", "ip_type": "patent",
                     "description": "再次侵权"})
    assert r.status_code == 302
    page = client.get(reverse("rightsaid:exhibition-detail", args=[late.pk])).content.decode()
    assert 'data-testid="repeat-badge"' in page
    comp = late.complaints.get()
    client.post(reverse("rightsaid:complaint-answer", args=[comp.pk]), {"answer": "同意撤展"})
    assert Deadline.objects.get(object_id=comp.pk, kind=services.EXHIBITION_ANSWER).state == Deadline.State.MET
    r = client.post(reverse("rightsaid:complaint-create", args=[late.pk]), {"complainant": "", "respondent": ""})
    assert r.status_code == 400 and "respondent" in r.context["complaint_form"].errors


@pytest.mark.django_db
def test_home_panel_counts_only_the_users_subtree(client, django_assert_max_num_queries):
    from rightsaid.models import AssistanceCase

    mine = f.worker("baotou")
    f.consultation(mine)
    other = f.worker("ordos")
    f.consultation(other)
    client.force_login(mine)
    with django_assert_max_num_queries(30):
        page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="rightsaid-panel"' in body
    visible = AssistanceCase.objects.visible_to(mine).count()
    assert page.context["panels"][0]["open"] + page.context["panels"][0]["closed"] == visible
    assert page.context["panels"][0]["consultations"] == 1


@pytest.mark.django_db
def test_dashboard_overdue_list_is_scoped(client):
    from django.contrib.contenttypes.models import ContentType

    from ipcenter.deadlines.models import Deadline

    mine, other = f.worker("baotou"), f.worker("ordos")
    my_case, their_case = f.case(mine), f.case(other)
    Deadline.objects.filter(object_id__in=[my_case.pk, their_case.pk],
                            content_type=ContentType.objects.get_for_model(AssistanceCase)).update(
        state=Deadline.State.OVERDUE)
    client.force_login(mine)
    overdue = client.get(reverse("rightsaid:index")).context["overdue"]
    assert {d.object_id for d in overdue} == {my_case.pk}

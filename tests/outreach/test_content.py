"""Staff content of outreach: journal issues with their PDF, practice bases with firms and their
pre-exam cases and outcomes, and the event page's forms (walk-ins, materials) answering bad input
with field errors."""
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.files.services import attachments_of
from outreach import services
from outreach.models import PracticeBase, Publication, Registration
from tests import factories
from tests.conftest import login
from tests.outreach.conftest import person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="2026年第3期.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _publication(**kw):
    data = {"kind": "journal_issue", "title": "《内蒙古知识产权》2026年第3期", "channel": "journal", "number": "2026-3",
            "published_on": "2026-03-01", "url": "", "summary": "", "views": "0", "likes": "0", "shares": "0",
            "published": "on"}
    data.update(kw)
    return data


def test_journal_issue_with_pdf_is_downloadable_on_the_public_page(client, outreach_user):
    login(client, outreach_user)
    r = client.post("/outreach/publications/new/", {**_publication(), "pdf": _pdf()})
    assert r.status_code == 302
    pub = Publication.objects.get()
    att = attachments_of(pub).get()
    assert att.original_name == "2026年第3期.pdf"
    # a new upload replaces it (the next version), the edit page names the current file
    r = client.post(f"/outreach/publications/{pub.pk}/", {**_publication(), "pdf": _pdf("第3期-修订.pdf")})
    assert r.status_code == 302 and attachments_of(pub).get().version == 2
    assert "第3期-修订.pdf" in client.get(f"/outreach/publications/{pub.pk}/").content.decode()
    client.logout()
    listing = client.get("/outreach/site/publications/").content.decode()
    assert f"/outreach/site/publications/{pub.pk}/pdf/" in listing
    r = client.get(f"/outreach/site/publications/{pub.pk}/pdf/")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    Publication.objects.filter(pk=pub.pk).update(published=False)
    assert client.get(f"/outreach/site/publications/{pub.pk}/pdf/").status_code == 404


def test_publication_pdf_that_is_no_pdf_is_refused_under_its_field(client, outreach_user):
    login(client, outreach_user)
    r = client.post("/outreach/publications/new/", {**_publication(), "pdf": _pdf("x.pdf", b"<html>not a pdf</html>")})
    assert r.status_code == 400 and not Publication.objects.exists()
    assert "pdf" in r.context["form"].errors


def test_publication_form_field_errors(client, outreach_user):
    login(client, outreach_user)
    r = client.post("/outreach/publications/new/", _publication(views="-3", published_on="2026-13-01", channel="fax"))
    assert r.status_code == 400 and not Publication.objects.exists()
    assert {"views", "published_on", "channel"} <= set(r.context["form"].errors)


def test_outreach_staff_create_a_practice_base_with_firms(client, outreach_user):
    firm = factories.OrganizationFactory(name="包头稀土测试企业")
    agency = factories.OrganizationFactory(name="某代理所", kind="agency")
    login(client, outreach_user)
    data = {"name": "专利预审员实践基地（稀土）", "industry_chain": "稀土新材料", "host_organization": "包头稀土测试企业",
            "league": factories.station("baotou").pk, "opened_on": "2024-04-26", "firms": [firm.pk], "published": "on"}
    r = client.post("/outreach/bases/new/", data)
    assert r.status_code == 302
    base = PracticeBase.objects.get()
    assert list(base.firms.all()) == [firm]
    # an agency is no firm to attach; a workstation is no league
    r = client.post(f"/outreach/bases/{base.pk}/edit/", {**data, "firms": [agency.pk]})
    assert r.status_code == 400 and "firms" in r.context["form"].errors
    r = client.post(f"/outreach/bases/{base.pk}/edit/", {**data, "league": factories.station("baotou-rare-earth").pk})
    assert r.status_code == 400 and "league" in r.context["form"].errors
    assert list(base.firms.all()) == [firm]
    station = factories.staff(roles.STATION_STAFF, "baotou")
    login(client, station)
    assert client.get("/outreach/bases/new/").status_code in (403, 404)
    assert client.post(f"/outreach/bases/{base.pk}/edit/", data).status_code in (403, 404)


def test_base_page_shows_firms_cases_and_outcomes_from_the_prescreen_selectors(client, outreach_user):
    from prescreen.models import PreExamCase

    firm = factories.OrganizationFactory(name="入驻乳企")
    user = factories.applicant(firm)
    base = services.save_practice_base(PracticeBase(name="实践基地（乳业）", industry_chain="乳业", host_organization="蒙乳",
                                                    league=factories.station("hohhot"), opened_on=datetime.date(2024, 4, 26)),
                                       outreach_user, firms=[firm])
    for outcome in ("grant", "grant", "rejection"):
        PreExamCase.objects.create(organization=firm, filed_by=user, title="一种乳酸菌", technical_field=factories.field("biology"),
                                   applicants=firm.name, inventors="张三", state=PreExamCase.State.QUALIFIED,
                                   submitted_at=timezone.now(), cnipa_outcome=outcome)
    login(client, outreach_user)
    page = client.get(f"/outreach/bases/{base.pk}/").content.decode()
    assert "预审案件 3 件，已授权 2 件" in page
    assert "授权 2" in page and "驳回 1" in page


def test_walk_in_with_bad_mobile_answers_field_errors_on_the_event_page(client, make_event, outreach_user):
    event = make_event()
    login(client, outreach_user)
    r = client.post(f"/outreach/events/{event.pk}/walk-in/", {"name": "", "mobile": "12345", "email": "x"})
    assert r.status_code == 400 and not Registration.objects.exists()
    errors = r.context["walkin_form"].errors
    assert {"name", "mobile", "email"} <= set(errors)
    assert "手机号码" in r.content.decode()


def test_walk_in_at_a_full_event_is_refused_above_the_form(client, make_event, outreach_user):
    event = make_event(capacity=1, start_in=-datetime.timedelta(minutes=30))
    services.register(event, source=Registration.Source.WALK_IN, actor=outreach_user, **person(1))
    login(client, outreach_user)
    r = client.post(f"/outreach/events/{event.pk}/walk-in/", person(2))
    assert r.status_code == 400 and r.context["walkin_form"].non_field_errors()
    assert Registration.objects.count() == 1


def test_material_that_is_no_document_is_refused_under_the_field(client, make_event, outreach_user):
    event = make_event()
    login(client, outreach_user)
    r = client.post(f"/outreach/events/{event.pk}/materials/", {"files": [SimpleUploadedFile("a.pdf", b"MZ\x90\x00")]})
    assert r.status_code == 400 and "files" in r.context["material_form"].errors
    assert not attachments_of(event).exists()
    r = client.post(f"/outreach/events/{event.pk}/materials/", {})
    assert r.status_code == 400 and "files" in r.context["material_form"].errors


def test_event_page_summarises_ratings(client, make_event, outreach_user):
    event = make_event(start_in=-datetime.timedelta(hours=5))
    for i, rating in enumerate((5, 5, 4)):
        reg = services.register(event, source=Registration.Source.WALK_IN, actor=outreach_user, **person(i))
        services.submit_feedback(reg, rating, "很好" if i == 0 else "")
    login(client, outreach_user)
    r = client.get(f"/outreach/events/{event.pk}/")
    assert r.context["rating_avg"] == 4.67
    assert [(s, n) for s, n, _pct in r.context["distribution"]] == [(5, 2), (4, 1), (3, 0), (2, 0), (1, 0)]
    assert "很好" in r.content.decode()


def test_public_practice_bases_api_names_firms_never_their_ids(client, outreach_user):
    firm = factories.OrganizationFactory(name="入驻乳企")
    services.save_practice_base(PracticeBase(name="实践基地（乳业）", industry_chain="乳业", host_organization="蒙乳",
                                             league=factories.station("hohhot"), opened_on=datetime.date(2024, 4, 26)),
                                outreach_user, firms=[firm])
    [row] = client.get("/api/v1/outreach/public/practice-bases/").json()["results"]
    assert row["firms"] == ["入驻乳企"] and row["league_name"]
    assert firm.pk not in row["firms"] and str(firm.pk) not in [str(v) for v in row["firms"]]
    assert "uscc" not in str(row) and firm.uscc not in str(row)
    login(client, outreach_user)  # staff keep the ids they edit with
    [staff_row] = client.get("/api/v1/outreach/practice-bases/").json()["results"]
    assert staff_row["firms"] == [firm.pk]


def test_publications_api_gives_the_pdf_download_url(client, outreach_user, django_assert_max_num_queries):
    login(client, outreach_user)
    assert client.post("/outreach/publications/new/", {**_publication(), "pdf": _pdf()}).status_code == 302
    assert client.post("/outreach/publications/new/", {**_publication(title="草稿期刊", published=""),
                                                       "pdf": _pdf("草稿.pdf")}).status_code == 302
    assert client.post("/outreach/publications/new/", _publication(title="无 PDF 的作品", kind="article",
                                                                   channel="web")).status_code == 302
    pub, draft, plain = (Publication.objects.get(title=t) for t in
                         ("《内蒙古知识产权》2026年第3期", "草稿期刊", "无 PDF 的作品"))
    staff = {r["id"]: r["pdf_url"] for r in client.get("/api/v1/outreach/publications/").json()["results"]}
    assert staff[pub.pk] == f"http://testserver/outreach/site/publications/{pub.pk}/pdf/"
    draft_att = attachments_of(draft).get()
    assert staff[draft.pk] == f"http://testserver/files/{draft_att.pk}/" and staff[plain.pk] is None
    assert client.get(f"/api/v1/outreach/publications/{pub.pk}/").json()["pdf_url"] == staff[pub.pk]
    assert client.get(staff[draft.pk]).status_code == 200  # staff download the unpublished one
    client.logout()
    public = {r["id"]: r["pdf_url"] for r in client.get("/api/v1/outreach/public/publications/").json()["results"]}
    assert public == {pub.pk: staff[pub.pk], plain.pk: None}  # the draft is not listed, nor its file
    r = client.get(public[pub.pk])
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    assert client.get(staff[draft.pk]).status_code in (302, 403, 404)  # no public way to the draft's file
    # the PDFs of a page come in one query, not one per publication
    for i in range(5):
        services.save_publication(Publication(kind="journal_issue", title=f"期刊{i}", channel="journal",
                                              published_on=datetime.date(2026, 1, 1 + i)), outreach_user, pdf=_pdf(f"{i}.pdf"))
    with django_assert_max_num_queries(4):
        rows = client.get("/api/v1/outreach/public/publications/").json()["results"]
    assert sum(1 for r in rows if r["pdf_url"]) == 6

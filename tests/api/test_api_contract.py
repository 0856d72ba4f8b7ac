"""Single API behaviours the schema documents: list filters belong to the list, empty query
values are no filter, malformed ones a 400 naming the parameter, bare arrays where the API
answers a bare array, and one error body for every refusal."""
import pytest
from rest_framework.test import APIClient

from prescreen.models import PreExamCase
from tests import factories

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def filed():
    case = factories.case_in(PreExamCase.State.SUBMITTED)
    return case, case.filed_by


def test_a_list_filter_on_a_detail_or_action_url_is_ignored_not_validated(filed):
    case, applicant = filed
    api = _api(applicant)
    assert api.get("/api/v1/prescreen/cases/0/documents/", {"league": "0"}).status_code == 404
    assert api.get("/api/v1/prescreen/cases/0/", {"league": "abc", "state": "zzz"}).status_code == 404
    ok = api.get(f"/api/v1/prescreen/cases/{case.pk}/documents/", {"league": "abc", "search": "no-such-text"})
    assert ok.status_code == 200 and isinstance(ok.json(), list)
    assert api.get(f"/api/v1/prescreen/cases/{case.pk}/", {"state": "zzz", "search": "nothing"}).json()["id"] == case.pk
    # on the list itself the same value is a field-level 400
    bad = api.get("/api/v1/prescreen/cases/", {"league": "abc"})
    assert bad.status_code == 400 and "league" in bad.json()


def test_an_empty_filter_value_is_no_filter_and_is_documented_so(filed):
    case, applicant = filed
    api = _api(applicant)
    plain = api.get("/api/v1/prescreen/cases/").json()
    empty = api.get("/api/v1/prescreen/cases/", {"date_to": "", "submitted_after": "", "state": "", "league": ""})
    assert empty.status_code == 200 and empty.json()["count"] == plain["count"] == 1
    schema = _api(applicant).get("/api/schema/", {"format": "json"}).json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/prescreen/cases/"]["get"]["parameters"]}
    assert params["submitted_after"]["allowEmptyValue"] is True
    assert api.get("/api/v1/prescreen/cases/", {"submitted_after": "2026-02-30"}).status_code == 400


def test_a_malformed_yes_no_filter_is_a_400_naming_it(db):
    manager = factories.manager()
    resp = _api(manager).get("/api/v1/outreach/registrations/", {"attended": "maybe"})
    assert resp.status_code == 400 and list(resp.json()) == ["attended"]
    assert _api(manager).get("/api/v1/outreach/registrations/", {"attended": "true"}).status_code == 200


def test_documents_are_documented_as_the_bare_array_they_are(filed):
    case, applicant = filed
    schema = _api(applicant).get("/api/schema/", {"format": "json"}).json()
    get = schema["paths"]["/api/v1/prescreen/cases/{id}/documents/"]["get"]
    body = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array" and body["items"] == {"$ref": "#/components/schemas/Attachment"}
    assert [p["name"] for p in get["parameters"] if p["in"] == "query"] == []  # no list filters, no paging
    rows = _api(applicant).get(f"/api/v1/prescreen/cases/{case.pk}/documents/").json()
    assert isinstance(rows, list) and rows and {"id", "role", "download_url"} <= set(rows[0])


def test_errors_are_documented_with_the_body_the_handler_writes(filed):
    case, applicant = filed
    schema = _api(applicant).get("/api/schema/", {"format": "json"}).json()
    ops = schema["paths"]["/api/v1/prescreen/cases/{id}/withdraw/"]["post"]["responses"]
    assert ops["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationError"}
    for code in ("403", "404"):
        assert ops[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]
    other = factories.registered_org()[1]
    missing = _api(other).post(f"/api/v1/prescreen/cases/{case.pk}/withdraw/", {"comment": "x"}, format="json")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}
    invalid = _api(applicant).post(f"/api/v1/prescreen/cases/{case.pk}/withdraw/", {}, format="json")
    assert invalid.status_code == 400 and "comment" in invalid.json()


def test_a_service_refusal_without_a_field_is_under_non_field_errors():
    from django.core.exceptions import ValidationError

    from ipcenter.api_settings import exception_handler

    resp = exception_handler(ValidationError("只有草稿可以修改。"), {})
    assert resp.status_code == 400 and resp.data == {"non_field_errors": ["只有草稿可以修改。"]}


def test_blank_choices_and_missing_relations_are_in_the_schema(db):
    schema = _api(factories.manager()).get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    outcome = schema["Case"]["properties"]["cnipa_outcome"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in outcome["oneOf"]
    assert schema["Case"]["properties"]["next_due_at"]["nullable"] is True
    assert schema["Dispute"]["properties"]["agreement"]["nullable"] is True
    assert schema["Dispute"]["properties"]["confirmation"]["nullable"] is True
    assert schema["BlankEnum"] == {"enum": [""]}

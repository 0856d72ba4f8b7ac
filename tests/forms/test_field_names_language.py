"""Technical-field names are reference data stored in Chinese and shown in the viewer's language
(issue #11 item 25): the case list, the queue and the statistics show "Biology" in the English UI
and 生物 by default; a field an administrator added shows as typed."""
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ipcenter.accounts.models import TechnicalField
from prescreen import services
from tests.prescreen.test_filing import draft, register

pytestmark = pytest.mark.django_db


def test_the_case_list_shows_the_field_in_the_viewers_language(org, applicant_user, manager_user):
    register(org)
    case = services.submit_case(draft(org, applicant_user), applicant_user)
    assert case.technical_field.name in ("生物", "新材料")
    english_name = {"生物": "Biology", "新材料": "New materials"}[case.technical_field.name]
    chinese = Client()
    chinese.force_login(manager_user)
    html = chinese.get(reverse("prescreen:case-list")).content.decode()
    assert case.technical_field.name in html.split("<tbody")[1] and english_name not in html
    english = Client()
    english.force_login(manager_user)
    english.cookies.load({"django_language": "en"})
    html = english.get(reverse("prescreen:case-list")).content.decode()
    assert english_name in html.split("<tbody")[1]


def test_a_field_added_by_an_administrator_shows_as_typed():
    field = TechnicalField.objects.create(code="ai", name="人工智能", sort_order=9)
    with translation.override("en"):
        assert str(field) == "人工智能"
        assert str(TechnicalField.objects.get(code="biology")) == "Biology"
    assert str(TechnicalField.objects.get(code="biology")) == "生物"

"""Password errors follow the UI language: Chinese in the Chinese UI."""
import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from tests.conftest import login
from tests import factories


def messages_for(password, user=None):
    with pytest.raises(ValidationError) as err:
        password_validation.validate_password(password, user)
    return err.value.messages


def test_every_password_error_is_chinese_in_the_chinese_ui(db):
    with translation.override("zh-hans"):
        msgs = messages_for("1234")
    assert msgs and all(not any(c.isascii() and c.isalpha() for c in m) for m in msgs), msgs
    assert any("至少需要 8 个字符" in m for m in msgs)


def test_password_change_page_shows_chinese_errors(client, db):
    user = factories.applicant()
    user.set_password("Old-pass-123")
    user.save()
    login(client, user)
    r = client.post(reverse("accounts:password_change"), {
        "old_password": "Old-pass-123", "new_password1": "12", "new_password2": "12"})
    page = r.content.decode()
    assert "This password is too short" not in page and "至少需要 8 个字符" in page

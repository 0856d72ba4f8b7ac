"""Activities of a practice base can be corrected and deleted, through the services, with the
change on the base's timeline; scoped as the base (others get a 404, another base's activity too)."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied

from ipcenter.accounts import roles
from ipcenter.workflow.engine import timeline_of
from outreach import services
from outreach.models import BaseActivity, PracticeBase
from tests import factories
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _base(user, name="稀土新材料实践基地"):
    return services.save_practice_base(PracticeBase(name=name, industry_chain="稀土", host_organization="包头某企业",
                                                    league=factories.station("baotou"), opened_on=datetime.date(2025, 4, 26)),
                                       user)


def test_staff_edit_and_delete_an_activity_with_the_timeline(client, outreach_user):
    base = _base(outreach_user)
    login(client, outreach_user)
    assert client.post(f"/outreach/bases/{base.pk}/", {"kind": "visit", "date": "2026-05-01", "count": "2"}).status_code == 302
    activity = base.activities.get()
    page = client.get(f"/outreach/bases/{base.pk}/").content.decode()
    assert f"/outreach/bases/{base.pk}/activities/{activity.pk}/" in page
    url = f"/outreach/bases/{base.pk}/activities/{activity.pk}/"
    assert client.get(url).status_code == 200
    # a bad value is a field error and changes nothing
    r = client.post(url, {"kind": "cases_guided", "date": "1800-05-01", "count": "0"})
    assert r.status_code == 400
    activity.refresh_from_db()
    assert (activity.kind, activity.count) == ("visit", 2)
    r = client.post(url, {"kind": "cases_guided", "date": "2026-05-02", "count": "5", "note": "指导三件"})
    assert r.status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.count, activity.date, activity.note) == \
        ("cases_guided", 5, datetime.date(2026, 5, 2), "指导三件")
    changed = [e for e in timeline_of(base) if e.action == "outreach.base.activity_changed"]
    assert len(changed) == 1 and changed[0].changes  # before → after
    assert client.post(f"{url}delete/").status_code == 302
    assert not BaseActivity.objects.filter(pk=activity.pk).exists()
    actions = [e.action for e in timeline_of(base)]
    assert {"outreach.base.activity_logged", "outreach.base.activity_changed", "outreach.base.activity_deleted"} <= set(actions)
    assert "删除基地活动" in client.get(f"/outreach/bases/{base.pk}/").content.decode()
    assert client.post(f"{url}delete/").status_code == 404  # gone


def test_others_and_another_bases_activity_get_a_404(client, outreach_user):
    base, other_base = _base(outreach_user), _base(outreach_user, "乳业实践基地")
    activity = services.log_base_activity(base, outreach_user, kind="visit", date=datetime.date(2026, 5, 1), count=1)
    login(client, outreach_user)
    assert client.get(f"/outreach/bases/{other_base.pk}/activities/{activity.pk}/").status_code == 404
    assert client.post(f"/outreach/bases/{other_base.pk}/activities/{activity.pk}/delete/").status_code == 404
    for user in (factories.staff(roles.STATION_STAFF, "baotou"), factories.staff(roles.EXAMINER)):
        login(client, user)
        url = f"/outreach/bases/{base.pk}/activities/{activity.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "visit", "date": "2026-05-01", "count": "9"}).status_code == 404
        assert client.post(f"{url}delete/").status_code == 404
    activity.refresh_from_db()
    assert activity.count == 1
    with pytest.raises(PermissionDenied):
        services.delete_base_activity(activity, factories.staff(roles.EXAMINER))
    assert BaseActivity.objects.filter(pk=activity.pk).exists()

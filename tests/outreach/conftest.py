"""Fixtures of the outreach tests: events at stations, outreach and station staff."""
import datetime

import pytest
from django.utils import timezone

from ipcenter.accounts import roles
from tests import factories


@pytest.fixture
def outreach_user(db):
    return factories.staff(roles.OUTREACH_STAFF, "centre")


@pytest.fixture
def baotou_staff(db):
    return factories.staff(roles.STATION_STAFF, "baotou")


@pytest.fixture
def ordos_staff(db):
    return factories.staff(roles.STATION_STAFF, "ordos")


@pytest.fixture
def make_event(db, outreach_user):
    from outreach.models import Event
    from outreach.services import save_event

    def make(station="baotou", capacity=10, start_in=datetime.timedelta(days=7), hours=3, **kw):
        start = timezone.now() + start_in
        kw.setdefault("published", True)
        event = Event(title=kw.pop("title", "专利预审政策培训"), station=factories.station(station), capacity=capacity,
                      starts_at=start, ends_at=start + datetime.timedelta(hours=3), hours=hours,
                      venue="包头市知识产权服务中心", **kw)
        return save_event(event, kw.pop("by", None) or outreach_user)

    return make


def person(i):
    return {"name": f"参会人{i}", "mobile": f"139{i:08d}", "email": f"p{i}@example.test",
            "organization_name": "测试单位"}

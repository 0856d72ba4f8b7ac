"""Platform smoke: reference data is there and core pages answer."""
import pytest

from ipcenter.accounts.models import Station
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_station_network_has_58_sub_stations_under_the_centre():
    assert Station.objects.exclude(kind="centre").count() == 58
    assert Station.objects.filter(kind="league").count() == 12
    assert Station.objects.filter(kind="overseas").count() == 4
    assert Station.objects.filter(kind="mediation").count() == 1


def test_home_page_shows_the_role(client, manager_user):
    login(client, manager_user)
    response = client.get("/")
    assert response.status_code == 200
    assert "中心管理人员" in response.content.decode()

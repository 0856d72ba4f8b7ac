"""Factories and helpers for rights-assistance tests."""
import datetime

from ipcenter.accounts import roles
from rightsaid import services
from rightsaid.models import AssistanceCase, Exhibition
from tests import factories
from tests.factories import station


def worker(code="hohhot", role=roles.STATION_STAFF):
    return factories.staff(role, station_code=code)


def consultation(user, **kw):
    data = dict(channel="12330", topic="专利侵权如何取证", ip_type="patent", requester_name="张三",
                question="发现有企业仿冒我司专利产品，怎么办？", answer="建议先行公证取证。", duration_minutes=15)
    data.update(kw)
    return services.log_consultation(user, **data)


def case(user, code=None, **kw):
    data = dict(kind=AssistanceCase.Kind.ASSISTANCE, case_type="patent_infringement", title="稀土永磁专利被侵权",
                description="对方在展会上销售侵权产品。", respondent="某某磁材有限公司")
    data.update(kw)
    st = station(code) if code else (user.station or station("hohhot"))
    return services.open_case(user, station=st, **data)


def exhibition(code="hohhot", start=datetime.date(2026, 5, 10), name="中国（呼和浩特）国际食品博览会"):
    return Exhibition.objects.create(name=name, venue="内蒙古国际会展中心", start_date=start,
                                     end_date=start + datetime.timedelta(days=3), station=station(code))

"""Reference data of the centre (seed article): the 1+12+N station network and
the technical fields.  Used by the data migration and by tests."""
from django.utils.translation import gettext_noop

CENTRE = ("centre", "内蒙古自治区知识产权保护中心")

LEAGUES = [
    ("hohhot", "呼和浩特市"), ("baotou", "包头市"), ("hulunbuir", "呼伦贝尔市"), ("hinggan", "兴安盟"),
    ("tongliao", "通辽市"), ("chifeng", "赤峰市"), ("xilingol", "锡林郭勒盟"), ("ulanqab", "乌兰察布市"),
    ("ordos", "鄂尔多斯市"), ("bayannur", "巴彦淖尔市"), ("wuhai", "乌海市"), ("alxa", "阿拉善盟"),
]

# (parent code, code, name, kind)
WORKSTATIONS = [
    ("centre", "mediation", "知识产权纠纷人民调解工作站", "mediation"),
    ("centre", "overseas-mongolia", "中蒙海外知识产权纠纷应对指导联络站", "overseas"),
    ("hohhot", "hohhot-etdz", "呼和浩特经济技术开发区工作站", "workstation"),
    ("hohhot", "hohhot-helin", "和林格尔新区工作站", "workstation"),
    ("hohhot", "hohhot-jinshan", "金山高新区工作站", "workstation"),
    ("hohhot", "hohhot-mengniu", "蒙牛集团工作站", "workstation"),
    ("hohhot", "hohhot-imu", "内蒙古大学工作站", "workstation"),
    ("hohhot", "hohhot-imau", "内蒙古农业大学工作站", "workstation"),
    ("hohhot", "hohhot-imut", "内蒙古工业大学工作站", "workstation"),
    ("hohhot", "overseas-hohhot-ftz", "呼和浩特综合保税区海外纠纷应对指导工作站", "overseas"),
    ("hohhot", "overseas-yili", "伊利集团海外纠纷应对指导工作站", "overseas"),
    ("baotou", "baotou-rare-earth", "包头稀土高新区工作站", "workstation"),
    ("baotou", "baotou-equipment", "包头装备制造产业园工作站", "workstation"),
    ("baotou", "baotou-steel", "包钢集团工作站", "workstation"),
    ("baotou", "baotou-nhi", "北方重工工作站", "workstation"),
    ("baotou", "baotou-imust", "内蒙古科技大学工作站", "workstation"),
    ("hulunbuir", "hulunbuir-manzhouli", "满洲里工作站", "workstation"),
    ("hulunbuir", "hulunbuir-zalantun", "扎兰屯工作站", "workstation"),
    ("hulunbuir", "hulunbuir-yakeshi", "牙克石工作站", "workstation"),
    ("hinggan", "hinggan-ulanhot", "乌兰浩特工作站", "workstation"),
    ("hinggan", "hinggan-keyouqian", "科右前旗工作站", "workstation"),
    ("tongliao", "tongliao-horqin", "科尔沁区工作站", "workstation"),
    ("tongliao", "tongliao-huolinguole", "霍林郭勒工作站", "workstation"),
    ("tongliao", "tongliao-etdz", "通辽经济技术开发区工作站", "workstation"),
    ("chifeng", "chifeng-hongshan", "红山区工作站", "workstation"),
    ("chifeng", "chifeng-yuanbaoshan", "元宝山区工作站", "workstation"),
    ("chifeng", "chifeng-hitech", "赤峰高新区工作站", "workstation"),
    ("chifeng", "chifeng-ningcheng", "宁城县工作站", "workstation"),
    ("xilingol", "xilingol-xilinhot", "锡林浩特工作站", "workstation"),
    ("xilingol", "xilingol-duolun", "多伦县工作站", "workstation"),
    ("xilingol", "overseas-erenhot", "二连浩特—扎门乌德海外纠纷应对指导工作站", "overseas"),
    ("ulanqab", "ulanqab-jining", "集宁区工作站", "workstation"),
    ("ulanqab", "ulanqab-fengzhen", "丰镇市工作站", "workstation"),
    ("ulanqab", "ulanqab-chayouqian", "察右前旗工作站", "workstation"),
    ("ordos", "ordos-dongsheng", "东胜区工作站", "workstation"),
    ("ordos", "ordos-kangbashi", "康巴什区工作站", "workstation"),
    ("ordos", "ordos-coal-chemical", "鄂尔多斯煤化工产业园工作站", "workstation"),
    ("ordos", "ordos-zhungeer", "准格尔旗工作站", "workstation"),
    ("ordos", "ordos-etuoke", "鄂托克旗工作站", "workstation"),
    ("bayannur", "bayannur-linhe", "临河区工作站", "workstation"),
    ("bayannur", "bayannur-wulateqian", "乌拉特前旗工作站", "workstation"),
    ("bayannur", "bayannur-wuyuan", "五原县工作站", "workstation"),
    ("wuhai", "wuhai-haibowan", "海勃湾区工作站", "workstation"),
    ("wuhai", "wuhai-etdz", "乌海经济开发区工作站", "workstation"),
    ("alxa", "alxa-hitech", "阿拉善高新区工作站", "workstation"),
    ("alxa", "alxa-ejina", "额济纳旗工作站", "workstation"),
]

# names are stored in Chinese and shown through the catalogue (TechnicalField.display_name)
TECHNICAL_FIELDS = [
    ("biology", gettext_noop("生物"), True, 1),
    ("new-materials", gettext_noop("新材料"), True, 2),
    ("new-energy", gettext_noop("新能源（筹建中）"), False, 3),
]


def ensure_reference_data(apps=None):
    """Create the station network, technical fields and role groups if missing
    (idempotent).  Run by the data migration and after every migrate/flush, so
    test databases flushed between transactional tests get them back."""
    if apps is None:
        from django.apps import apps
    from . import roles

    Station = apps.get_model("accounts", "Station")
    TechnicalField = apps.get_model("accounts", "TechnicalField")
    Group = apps.get_model("auth", "Group")
    if Station.objects.count() < 1 + len(LEAGUES) + len(WORKSTATIONS):
        stations = {}

        def make(code, name, kind, parent=None):
            path = (parent.path if parent else "") + code + "/"
            station, _created = Station.objects.get_or_create(
                code=code, defaults={"name": name, "kind": kind, "parent": parent, "path": path})
            return station

        stations["centre"] = make(*CENTRE, "centre")
        for code, name in LEAGUES:
            stations[code] = make(code, f"{name}知识产权保护分中心", "league", stations["centre"])
        for parent, code, name, kind in WORKSTATIONS:
            stations[code] = make(code, name, kind, stations[parent])
    for code, name, enabled, order in TECHNICAL_FIELDS:
        TechnicalField.objects.get_or_create(
            code=code, defaults={"name": name, "prescreen_enabled": enabled, "sort_order": order})
    for code in roles.ALL_ROLES:
        Group.objects.get_or_create(name=code)

"""Generated but realistic patent sets and the exports the databases would give for them
(Lens CSV, Google Patents CSV, Chinese-header XLSX and GB18030 CSV): used by the demo data,
the shipped demo files, the tests and the benchmark."""
import csv
import datetime
import io
import random

TOPICS = {
    "coal": {
        "titles": ["一种煤气化{x}装置", "煤制烯烃{x}工艺", "一种费托合成{x}催化剂", "煤焦油加氢{x}方法",
                   "甲醇制{x}系统", "一种煤制乙二醇{x}方法", "煤化工废水{x}处理工艺", "一种二氧化碳捕集{x}装置",
                   "煤直接液化{x}反应器", "兰炭尾气{x}利用方法"],
        "x": ["高效", "低能耗", "节水型", "连续", "多级", "模块化", "耦合", "循环"],
        # aligned with the titles above (the first ten), then codes any title may carry
        "ipc": ["C10J 3/00", "C07C 11/04", "C10G 2/00", "C10C 1/00", "C07C 1/20", "C07C 31/20", "C02F 9/00",
                "B01D 53/14", "C10G 1/06", "C10B 53/04", "B01J 23/75", "C07C 29/151"],
        "cn": ["国家能源投资集团有限责任公司", "内蒙古伊泰煤制油有限责任公司", "中国石油化工股份有限公司",
               "中国神华煤制油化工有限公司", "鄂尔多斯市瀚博科技有限公司", "中国科学院山西煤炭化学研究所",
               "华东理工大学", "内蒙古大学", "中煤鄂尔多斯能源化工有限公司", "久泰能源（准格尔）有限公司",
               "陕西延长石油（集团）有限责任公司", "清华大学", "内蒙古工业大学", "兖矿集团有限公司"],
        "foreign": ["SASOL TECHNOLOGY (PTY) LTD", "SHELL INTERNATIONALE RESEARCH MAATSCHAPPIJ B.V.",
                    "AIR PRODUCTS AND CHEMICALS, INC.", "MITSUBISHI HEAVY INDUSTRIES, LTD."],
    },
    "alloy": {
        "titles": ["一种{x}高温合金及其制备方法", "{x}稀土镁合金", "一种钛合金{x}锻造方法", "{x}耐蚀不锈钢",
                   "一种含稀土{x}铝合金", "高熵合金{x}涂层", "镍基单晶{x}叶片", "一种{x}稀土永磁材料"],
        "x": ["高强度", "耐高温", "轻质", "高韧性", "细晶", "抗氧化", "低成本"],
        "ipc": ["C22C 19/05", "C22C 23/06", "C22C 14/00", "C22C 38/58", "C22C 21/00", "C23C 4/06", "C30B 29/52",
                "H01F 1/057", "B22F 3/10", "C22F 1/10"],
        "cn": ["包头钢铁（集团）有限责任公司", "内蒙古科技大学", "包头稀土研究院", "北京科技大学",
               "中国科学院金属研究所", "宝山钢铁股份有限公司", "东北大学", "内蒙古北方重工业集团有限公司",
               "中南大学", "西北工业大学", "包头市英思特稀磁新材料股份有限公司", "上海交通大学"],
        "foreign": ["GENERAL ELECTRIC COMPANY", "ROLLS-ROYCE PLC", "HITACHI METALS, LTD.", "NIPPON STEEL CORPORATION"],
    },
}
ADDRESSES = {
    "国家能源投资集团有限责任公司": "北京市东城区安定门西滨河路22号",
    "内蒙古伊泰煤制油有限责任公司": "内蒙古自治区鄂尔多斯市准格尔旗大路工业园区",
    "中国石油化工股份有限公司": "北京市朝阳区朝阳门北大街22号",
    "中国神华煤制油化工有限公司": "北京市东城区安定门西滨河路22号",
    "鄂尔多斯市瀚博科技有限公司": "内蒙古自治区鄂尔多斯市东胜区",
    "中国科学院山西煤炭化学研究所": "山西省太原市桃园南路27号",
    "华东理工大学": "上海市徐汇区梅陇路130号",
    "内蒙古大学": "内蒙古自治区呼和浩特市赛罕区大学西路235号",
    "中煤鄂尔多斯能源化工有限公司": "内蒙古自治区鄂尔多斯市乌审旗图克工业园区",
    "久泰能源（准格尔）有限公司": "内蒙古自治区鄂尔多斯市准格尔旗大路新区",
    "陕西延长石油（集团）有限责任公司": "陕西省西安市高新区",
    "清华大学": "北京市海淀区清华园",
    "内蒙古工业大学": "内蒙古自治区呼和浩特市新城区爱民街49号",
    "兖矿集团有限公司": "山东省邹城市凫山南路298号",
    "包头钢铁（集团）有限责任公司": "内蒙古自治区包头市昆都仑区河西工业区",
    "内蒙古科技大学": "内蒙古自治区包头市昆都仑区阿尔丁大街7号",
    "包头稀土研究院": "内蒙古自治区包头市稀土高新区黄河大街36号",
    "北京科技大学": "北京市海淀区学院路30号",
    "中国科学院金属研究所": "辽宁省沈阳市沈河区文化路72号",
    "宝山钢铁股份有限公司": "上海市宝山区富锦路885号",
    "东北大学": "辽宁省沈阳市和平区文化路三号巷11号",
    "内蒙古北方重工业集团有限公司": "内蒙古自治区包头市青山区",
    "中南大学": "湖南省长沙市岳麓区麓山南路932号",
    "西北工业大学": "陕西省西安市友谊西路127号",
    "包头市英思特稀磁新材料股份有限公司": "内蒙古自治区包头市稀土高新区",
    "上海交通大学": "上海市闵行区东川路800号",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞宇浩然志国建文斌"
STATUS_CN = ["有效", "有效", "实质审查", "失效", "授权", "驳回", "期限届满", "未缴年费"]


def generate(n, topic="coal", seed=1, start_year=2008, end_year=2024):
    """``n`` patent records (plain dicts) of a topic, deterministic for a seed."""
    rnd = random.Random(seed)
    t = TOPICS[topic]
    people = [rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))
              for _ in range(max(40, n // 20))]
    records = []
    weights = [1 + (y - start_year) ** 1.6 for y in range(start_year, end_year + 1)]
    title_weights = [1 + (i * 7) % 5 for i in range(len(t["titles"]))]
    for i in range(n):
        year = rnd.choices(range(start_year, end_year + 1), weights)[0]
        template = rnd.choices(t["titles"], title_weights)[0]
        app_date = datetime.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
        pub_date = app_date + datetime.timedelta(days=rnd.randint(200, 600))
        foreign = rnd.random() < 0.08
        if foreign:
            applicants = [rnd.choice(t["foreign"])]
            country = rnd.choice(["US", "JP", "EP", "DE"])
        else:
            applicants = [rnd.choice(t["cn"])]
            if rnd.random() < 0.2:
                other = rnd.choice(t["cn"])
                if other != applicants[0]:
                    applicants.append(other)
            country = "CN"
        serial = 100000 + seed * 1000003 % 7919 + i
        pub = f"{country}{serial:09d}{'B' if rnd.random() < 0.4 else 'A'}"
        app = f"{country}{year}{serial:07d}.{rnd.randint(0, 9)}" if country == "CN" else f"{country}{year}{serial:06d}"
        # a title's technology decides its classification (mostly), and each technology has its
        # own leading applicants, so the chain's nodes differ in size and in Inner Mongolia's share
        index = t["titles"].index(template)
        main = t["ipc"][index % len(t["ipc"])] if rnd.random() < 0.85 else rnd.choice(t["ipc"])
        ipcs = [main] + rnd.sample([c for c in t["ipc"] if c != main], k=rnd.choice((0, 0, 1, 2)))
        if not foreign and rnd.random() < 0.6:
            leaders = [t["cn"][(index * 3 + k) % len(t["cn"])] for k in range(3)]
            applicants[0] = rnd.choice(leaders)
            applicants = list(dict.fromkeys(applicants))
        granted = pub.endswith("B")
        status = rnd.choice(STATUS_CN) if not granted else rnd.choice(["有效", "有效", "失效", "期限届满"])
        title = template.format(x=rnd.choice(t["x"]))
        family = [pub] + ([f"US{serial + 7000000:08d}B2"] if rnd.random() < 0.1 else [])
        records.append({
            "publication_number": pub, "application_number": app, "title": title,
            "abstract": f"本发明公开了{title}，通过优化工艺参数提高了{rnd.choice(['转化率', '收率', '强度', '耐腐蚀性', '能效'])}。",
            "application_date": app_date, "publication_date": pub_date,
            "grant_date": pub_date + datetime.timedelta(days=300) if granted else None,
            "applicants": applicants, "inventors": rnd.sample(people, k=rnd.randint(1, 4)),
            "ipc_main": main, "ipc": ipcs, "legal_status": status, "family": family,
            "family_size": len(family) + rnd.randint(0, 3), "cited_count": int(rnd.paretovariate(1.5)) - 1,
            "address": ADDRESSES.get(applicants[0], ""), "country": country,
        })
    return records


def _d(value, fmt="%Y-%m-%d"):
    return value.strftime(fmt) if value else ""


LENS_COLUMNS = ["#", "Jurisdiction", "Kind", "Display Key", "Lens ID", "Publication Date", "Publication Year",
                "Application Number", "Application Date", "Priority Numbers", "Earliest Priority Date", "Title",
                "Applicants", "Inventors", "Owners", "URL", "Document Type", "Has Full Text", "Cites Patent Count",
                "Cited by Patent Count", "Simple Family Size", "Simple Family Members", "Extended Family Size",
                "Sequence Count", "CPC Classifications", "IPCR Classifications", "US Classifications", "NPL Citation Count",
                "NPL Resolved Citation Count", "Legal Status", "Abstract"]


def write_lens_csv(records, out):
    """Lens.org's CSV export: English headers, several values joined by ``;;``, UTF-8."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    w = csv.writer(text)
    w.writerow(LENS_COLUMNS)
    for i, r in enumerate(records, 1):
        pub = r["publication_number"]
        w.writerow([i, pub[:2], pub[-1], pub, f"{i:03d}-{i * 7 % 1000:03d}-{i * 13 % 1000:03d}-{i % 97:03d}-X",
                    _d(r["publication_date"]), r["publication_date"].year, r["application_number"],
                    _d(r["application_date"]), "", _d(r["application_date"]), r["title"], ";;".join(r["applicants"]),
                    ";;".join(r["inventors"]), "", f"https://example.invalid/{i}", "Patent Application", "false", 0,
                    r["cited_count"], r["family_size"], ";;".join(r["family"]), r["family_size"], 0, "",
                    ";;".join(c.replace(" ", "") for c in r["ipc"]), "", 0, 0,
                    "ACTIVE" if r["legal_status"] in ("有效", "授权") else "PENDING" if r["legal_status"] == "实质审查"
                    else "INACTIVE", r["abstract"]])
    text.detach()


GOOGLE_COLUMNS = ["id", "title", "assignee", "inventor/author", "priority date", "filing/creation date",
                  "publication date", "grant date", "result link", "representative figure link"]


def write_google_csv(records, out, query="(煤制烯烃) country:CN"):
    """Google Patents' CSV: a ``search URL:`` first line, the header on the second line."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    w = csv.writer(text)
    w.writerow(["search URL:", f"https://patents.example.invalid/?q={query}"])
    w.writerow(GOOGLE_COLUMNS)
    for r in records:
        pub = r["publication_number"]
        w.writerow([f"{pub[:2]}-{pub[2:-1]}-{pub[-1]}", r["title"], ", ".join(r["applicants"]),
                    ", ".join(r["inventors"]), _d(r["application_date"]), _d(r["application_date"]),
                    _d(r["publication_date"]), _d(r["grant_date"]), f"https://patents.example.invalid/patent/{pub}/zh",
                    ""])
    text.detach()


CHINESE_COLUMNS = ["序号", "公开（公告）号", "申请号", "申请日", "公开（公告）日", "标题", "摘要", "申请（专利权）人",
                   "发明人", "IPC主分类号", "IPC分类号", "当前法律状态", "简单同族", "简单同族个数", "被引证次数",
                   "申请人地址", "申请人省市"]


def _chinese_row(i, r, date_fmt, sep):
    return [i, r["publication_number"], r["application_number"], _d(r["application_date"], date_fmt),
            _d(r["publication_date"], date_fmt), r["title"], r["abstract"], sep.join(r["applicants"]),
            sep.join(r["inventors"]), r["ipc_main"], sep.join(r["ipc"]), r["legal_status"], sep.join(r["family"]),
            r["family_size"], r["cited_count"], r["address"], r["address"][:6] if r["country"] == "CN" else r["country"]]


def write_chinese_csv(records, out, encoding="gb18030", date_fmt="%Y.%m.%d", sep="；"):
    """A Chinese database's CSV (CNIPA / incoPat style): Chinese headers with full-width
    brackets, GB18030, dates like 2023.05.17, multi-values split by ；."""
    text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=True)
    w = csv.writer(text)
    w.writerow(CHINESE_COLUMNS)
    for i, r in enumerate(records, 1):
        w.writerow(_chinese_row(i, r, date_fmt, sep))
    text.detach()


def write_chinese_xlsx(records, out, serial_dates=True):
    """A Chinese database's XLSX (PatSnap style): half-width brackets in some headers, dates
    as Excel date cells, multi-values split by |."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("专利列表")
    ws.append([h.replace("（", "(").replace("）", ")") if "申请" in h else h for h in CHINESE_COLUMNS])
    for i, r in enumerate(records, 1):
        row = _chinese_row(i, r, "%Y%m%d", " | ")
        if serial_dates:
            row[3], row[4] = r["application_date"], r["publication_date"]
        ws.append(row)
    wb.save(out)

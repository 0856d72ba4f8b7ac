"""Demo data of rights assistance: consultations ≫ cases, cases in every state,
exhibitions with complaints and a repeat infringer, across several stations."""
import datetime
import random

from ipcenter.accounts.models import Station

from . import services
from .models import AssistanceCase, Consultation, Exhibition

TOPICS = [("专利侵权判定咨询", "patent"), ("假冒专利标识举报", "patent"), ("商标被抢注怎么办", "trademark"),
          ("网店售卖仿冒商品", "trademark"), ("软件著作权登记", "copyright"), ("员工带走技术资料", "trade_secret"),
          ("展会上发现侵权展品", "patent"), ("地理标志使用规范", "geo"), ("海外参展知识产权风险", "patent"),
          ("专利许可合同纠纷", "patent")]
NAMES = ["王先生", "李女士", "张经理", "刘工", "陈总", "杨女士", "赵先生", "黄经理"]
CASE_TYPES = (["patent_infringement"] * 6 + ["counterfeit_patent"] * 2 + ["trademark_infringement"] * 9
              + ["copyright", "trade_secret", "other"])
RESPONDENTS = ["包头某磁材有限公司", "鄂尔多斯某羊绒制品有限公司", "某乳业有限公司", "呼和浩特某商贸有限公司",
               "赤峰某食品有限公司"]


def seed(ctx):
    if Consultation.objects.exists():
        return
    rnd = random.Random(6)
    users = ctx["users"]
    league, ws, ordos = users["station"], users["station_ws"], users["station_ordos"]
    manager = users.get("manager") or league
    applicant = users["applicant"]
    workers = [league, ws, ordos]

    consultations = []
    for i in range(60):
        u = workers[i % 3]
        topic, ip = TOPICS[rnd.randrange(len(TOPICS))]
        consultations.append(services.log_consultation(
            u, channel=rnd.choice(["12330", "12330", "walk_in", "phone", "online"]), topic=topic, ip_type=ip,
            requester_name=rnd.choice(NAMES), requester_contact=f"139{rnd.randrange(10**7, 10**8)}",
            question=f"{topic}：请问应当如何处理？", answer="已告知取证方式及可选的维权途径。",
            duration_minutes=rnd.choice([5, 10, 15, 20, 30])))

    cases = []
    for i in range(18):
        u = workers[i % 3]
        if i < 6:
            case = services.convert_consultation(consultations[i], u, case_type=CASE_TYPES[i % len(CASE_TYPES)])
        else:
            case = services.open_case(u, station=u.station, kind="complaint" if i % 5 == 0 else "assistance",
                                      case_type=rnd.choice(CASE_TYPES), channel=rnd.choice(["12330", "walk_in"]),
                                      title=f"{rnd.choice(TOPICS)[0]}（{i + 1}）", description="当事人提供了购买凭证和照片。",
                                      respondent=rnd.choice(RESPONDENTS), requester_name=rnd.choice(NAMES))
        cases.append(case)
    mine = services.open_case(applicant, station=Station.objects.get(code="hohhot"), kind="assistance",
                              case_type="trademark_infringement", title="我司商标在电商平台被仿冒",
                              description="发现多家网店销售仿冒我司商标的乳制品。", respondent="呼和浩特某商贸有限公司")
    services.accept_case(mine, manager)
    cases.append(mine)

    # spread over states: intake, under review, accepted, declined, handling, referred, closed
    for i, case in enumerate(cases[:18]):
        u = workers[i % 3]
        step = i % 7
        if step == 0:
            continue
        services.start_review(case, u)
        if step == 1:
            continue
        if step == 3:
            services.decline_case(case, u, "不属于知识产权纠纷，已告知向消费者协会反映。")
            continue
        services.accept_case(case, u)
        if step == 2:
            continue
        services.start_handling(case, u)
        services.add_evidence(case, u, "公证购买的侵权产品及发票", "公证处")
        if step == 4:
            continue
        ref = services.refer_case(case, u, authority=rnd.choice(["market_regulator", "police", "court", "customs"]),
                                  note="涉嫌侵权，移交依法处理。")
        if step == 5:
            continue
        services.record_feedback(ref, u, "已立案查处，责令停止侵权。")
        services.close_case(case, u, outcome="penalised", amount_recovered=rnd.choice([20000, 50000, 120000]))

    services.open_case(league, station=league.station,
                       kind="overseas", case_type="trademark_infringement", title="蒙古国商标被抢注",
                       description="我区企业在蒙古国的商标被当地公司抢注。", country="蒙古国",
                       overseas_station=Station.objects.get(code="overseas-mongolia"))
    services.open_case(ordos, station=ordos.station, kind="enforcement", case_type="counterfeit_patent",
                       title="协助认定假冒专利标识", description="市场监管局请求对产品专利标识进行技术认定。",
                       requesting_authority="鄂尔多斯市市场监督管理局")

    today = datetime.date.today()
    ex_old = Exhibition.objects.create(name="2025 内蒙古绿色农畜产品博览会", venue="内蒙古国际会展中心",
                                       start_date=today - datetime.timedelta(days=300),
                                       end_date=today - datetime.timedelta(days=297), station=league.station)
    ex_new = Exhibition.objects.create(name="2026 中国（包头）稀土产业博览会", venue="包头国际会展中心",
                                       start_date=today - datetime.timedelta(days=2),
                                       end_date=today + datetime.timedelta(days=1), station=ws.station)
    c1 = services.file_exhibition_complaint(ws, exhibition=ex_old, complainant="包头某稀土科技股份有限公司",
                                            respondent="包头某磁材有限公司", booth="B-08", ip_type="patent",
                                            description="展出的永磁电机转子与我司专利相同。")
    services.record_answer(c1, ws, "我司产品采用不同的结构。")
    services.decide_complaint(c1, ws, "withdrawn", "被投诉人同意撤展。")
    services.file_exhibition_complaint(ws, exhibition=ex_new, complainant="包头某稀土科技股份有限公司",
                                       respondent="包头某磁材 有限公司", booth="C-21", ip_type="patent",
                                       description="再次展出相同的侵权产品。")
    c3 = services.file_exhibition_complaint(ws, exhibition=ex_new, complainant="内蒙古某乳业股份有限公司",
                                            respondent="某食品有限公司", booth="A-03", ip_type="trademark",
                                            description="包装使用近似商标。")
    services.record_answer(c3, ws, "愿意更换包装。")
    services.decide_complaint(c3, ws, "settled")
    ctx["stdout"].write(f"rightsaid: {Consultation.objects.count()} consultations, "
                        f"{AssistanceCase.objects.count()} cases, 2 exhibitions\n")

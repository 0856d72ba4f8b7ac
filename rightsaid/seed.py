"""Demo data of rights assistance, built through the services under a controlled clock, step by
step in time order: consultations ≫ cases, cases in every state, exhibitions with on-site
complaints and a repeat infringer, across the stations.

The full volume is a year of the centre in the proportions of the seed article (2,424
consultations, 263 assistance cases and 79 exhibition services in two years; of the cases
assisted 187 patent infringement, 56 counterfeit patent and 307 trademark infringement), the
consultations by channel with the 12330 hotline first; ``small`` (the tests) keeps a few of
each and every state."""
import datetime
import random

from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.accounts.models import Station, User
from ipcenter.accounts.services import assign_roles
from ipcenter.demo import SMALL, Schedule, office_time, volume

from . import services
from .models import AssistanceCase, Consultation, Exhibition

TOPICS = [("专利侵权判定咨询", "patent"), ("假冒专利标识举报", "patent"), ("商标被抢注怎么办", "trademark"),
          ("网店售卖仿冒商品", "trademark"), ("软件著作权登记", "copyright"), ("员工带走技术资料", "trade_secret"),
          ("展会上发现侵权展品", "patent"), ("地理标志使用规范", "geo"), ("海外参展知识产权风险", "patent"),
          ("专利许可合同纠纷", "patent"), ("商标近似判断", "trademark"), ("外观设计被仿冒", "patent")]
# the cause of an assistance case, by its type (so a title never contradicts the type)
CASE_TITLES = {
    "patent_infringement": ["发明专利被仿制", "实用新型专利侵权", "外观设计被仿冒", "展会上发现侵权展品"],
    "counterfeit_patent": ["产品标注假冒专利号", "宣传材料冒用专利"],
    "trademark_infringement": ["网店售卖仿冒商品", "商标被抢注", "近似商标混淆", "地理标志被冒用"],
    "copyright": ["软件被复制销售", "产品图册被抄袭"],
    "trade_secret": ["员工带走技术资料", "配方泄露"],
    "other": ["知识产权许可合同纠纷", "技术合同履行纠纷"],
}
NAMES = ["王先生", "李女士", "张经理", "刘工", "陈总", "杨女士", "赵先生", "黄经理", "巴特尔", "其其格", "孙女士", "周先生"]
# consultations by channel: the 12330 hotline first (weights)
CHANNELS = (("12330", 55), ("phone", 15), ("walk_in", 15), ("online", 15))
# assistance case types in the article's proportions (187 : 56 : 307), plus the rarer ones
CASE_TYPES = (("patent_infringement", 187), ("counterfeit_patent", 56), ("trademark_infringement", 307),
              ("copyright", 20), ("trade_secret", 10), ("other", 10))
KINDS = (("assistance", 80), ("complaint", 14), ("enforcement", 4), ("overseas", 2))
OUTCOMES = (("resolved", 35), ("settled", 20), ("penalised", 25), ("judgment", 8), ("withdrawn", 6), ("unresolved", 6))
AUTHORITIES = ("market_regulator", "market_regulator", "police", "court", "customs", "procuratorate")
RESPONDENTS = ["包头某磁材有限公司", "鄂尔多斯某羊绒制品有限公司", "某乳业有限公司", "呼和浩特某商贸有限公司",
               "赤峰某食品有限公司", "通辽某农资经销部", "乌兰察布某薯业有限公司", "海拉尔某商行"]
EXHIBITIONS = [("内蒙古绿色农畜产品博览会", "内蒙古国际会展中心", "hohhot"),
               ("中国（包头）稀土产业博览会", "包头国际会展中心", "baotou-rare-earth"),
               ("鄂尔多斯国际煤炭及能源工业博览会", "鄂尔多斯国际会展中心", "ordos"),
               ("中国（赤峰）农牧业博览会", "赤峰国际会展中心", "chifeng"),
               ("呼伦贝尔冰雪旅游商品展", "呼伦贝尔会展中心", "hulunbuir"),
               ("中蒙博览会", "内蒙古国际会展中心", "hohhot"),
               ("通辽玉米产业博览会", "通辽会展中心", "tongliao"),
               ("内蒙古羊绒服饰展", "鄂尔多斯国际会展中心", "ordos")]
# the full volume's further case workers: hotline staff at the centre and one per league
LEAGUE_STAFF = [("centre", "包热线"), ("hohhot", "乔专员"), ("chifeng", "白专员"), ("tongliao", "胡专员"),
                ("hulunbuir", "那专员"), ("ulanqab", "云专员"), ("bayannur", "杭专员"), ("xilingol", "苏专员")]

STEP_GAPS = {"start_review": (0.2, 2), "accept": (0.5, 3), "decline": (0.5, 3), "start_handling": (0.5, 3),
             "evidence": (1, 6), "refer": (2, 12), "feedback": (15, 60), "close": (5, 30)}
PATHS = {  # the steps from intake to each state
    "intake": [], "under_review": ["start_review"], "declined": ["start_review", "decline"],
    "accepted": ["start_review", "accept"], "handling": ["start_review", "accept", "start_handling", "evidence"],
    "referred": ["start_review", "accept", "start_handling", "evidence", "refer"],
    "closed": ["start_review", "accept", "start_handling", "evidence", "refer", "feedback", "close"],
    "closed_direct": ["start_review", "accept", "start_handling", "evidence", "close"],
}


def _pick(rnd, weighted):
    return rnd.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _worker(code, display):
    """A case worker at a league (no usable password: demo data, not a demo login)."""
    user, created = User.objects.get_or_create(username=f"rightsaid-{code}", defaults={
        "display_name": display, "station": Station.objects.get(code=code), "email": ""})
    if created:
        user.set_unusable_password()
        user.save()
        assign_roles(user, roles.STATION_STAFF)
    return user


class Seeder:
    def __init__(self, ctx):
        self.rnd = random.Random(6)
        self.small = volume(ctx) == SMALL
        self.now = timezone.now()
        self.schedule = Schedule(until=self.now)
        users = ctx["users"]
        self.users = users
        self.manager = users.get("manager") or users["station"]
        self.workers = [users["station"], users["station_ws"], users["station_ordos"]]
        if not self.small:
            self.workers += [_worker(code, name) for code, name in LEAGUE_STAFF]

    def moment(self, days_ago):
        day = (self.now - datetime.timedelta(days=days_ago)).date()
        at = office_time(day, self.rnd)
        return at if at < self.now else self.now - datetime.timedelta(minutes=self.rnd.randint(5, 90))

    # -- consultations -----------------------------------------------------------------------------
    def consultation(self, worker, at, record):
        rnd = self.rnd
        topic, ip = TOPICS[rnd.randrange(len(TOPICS))]

        def log():
            record.append((services.log_consultation(
                worker, channel=_pick(rnd, CHANNELS), topic=topic, ip_type=ip, requester_name=rnd.choice(NAMES),
                requester_contact=f"139{rnd.randrange(10**7, 10**8)}", question=f"{topic}：请问应当如何处理？",
                answer="已告知取证方式及可选的维权途径。", duration_minutes=rnd.choice([5, 10, 15, 20, 30])), at))

        self.schedule.at(at, log)

    # -- cases -------------------------------------------------------------------------------------
    def case(self, worker, start, target, *, source=None, **fields):
        """A case opened at ``start`` (or converted from the consultation ``source``, a
        (consultation, moment) pair) and taken
        through the services to ``target``; open cases are moved back so no step is in the future."""
        rnd = self.rnd
        steps = PATHS[target]
        moments, at = [], start
        for step in steps:
            at = at + datetime.timedelta(days=rnd.uniform(*STEP_GAPS[step]))
            moments.append(at)
        if moments and moments[-1] >= self.now:
            shift = moments[-1] - self.now + datetime.timedelta(hours=rnd.uniform(2, 30))
            start, moments = start - shift, [m - shift for m in moments]
        state = {}

        def open_():
            if source is not None:
                state["case"] = services.convert_consultation(source[0], worker, case_type=fields["case_type"])
            else:
                state["case"] = services.open_case(worker, station=worker.station, **fields)

        def step(name):
            case = state["case"]
            if name == "start_review":
                services.start_review(case, worker)
            elif name == "accept":
                services.accept_case(case, worker)
            elif name == "decline":
                services.decline_case(case, worker, "不属于知识产权纠纷，已告知向消费者协会反映。")
            elif name == "start_handling":
                services.start_handling(case, worker)
            elif name == "evidence":
                services.add_evidence(case, worker, "公证购买的侵权产品及发票", "公证处")
            elif name == "refer":
                state["ref"] = services.refer_case(case, worker, authority=rnd.choice(AUTHORITIES),
                                                   note="涉嫌侵权，移交依法处理。")
            elif name == "feedback":
                services.record_feedback(state["ref"], worker, "已立案查处，责令停止侵权。")
            elif name == "close":
                outcome = _pick(rnd, OUTCOMES)
                services.close_case(case, worker, outcome=outcome,
                                    amount_recovered=rnd.choice([0, 20000, 50000, 120000])
                                    if outcome in ("resolved", "settled", "judgment") else None)
            state["case"] = AssistanceCase.objects.get(pk=case.pk)

        if source is not None and source[1] >= start:
            source = None  # moved back before its consultation: opened directly instead
        self.schedule.at(start, open_)
        for name, at in zip(steps, moments):
            self.schedule.at(at, step, name)

    def case_fields(self, i):
        rnd = self.rnd
        kind = _pick(rnd, KINDS)
        case_type = _pick(rnd, CASE_TYPES)
        fields = {"kind": kind, "case_type": case_type, "channel": rnd.choice(["12330", "walk_in"]),
                  "title": rnd.choice(CASE_TITLES[case_type]), "description": "当事人提供了购买凭证和照片。",
                  "respondent": rnd.choice(RESPONDENTS), "requester_name": rnd.choice(NAMES)}
        fields["title"] = f"{fields['title']}（被请求人：{fields['respondent']}）"
        if kind == "overseas":
            fields.update(country="蒙古国", overseas_station=Station.objects.get(code="overseas-mongolia"),
                          title="蒙古国商标被抢注", case_type="trademark_infringement")
        elif kind == "enforcement":
            fields.update(requesting_authority="市场监督管理局", case_type="counterfeit_patent",
                          title="协助认定假冒专利标识")
        return fields

    # -- exhibitions -------------------------------------------------------------------------------
    def exhibition(self, worker, name, venue, start, days, complaints, repeat_respondent):
        rnd = self.rnd
        state = {}
        registered = min(start - datetime.timedelta(days=rnd.randint(10, 30)), self.now - datetime.timedelta(hours=2))

        def create():
            state["ex"] = services.create_exhibition(worker, station=worker.station, name=name, venue=venue,
                                                     start_date=start.date(),
                                                     end_date=start.date() + datetime.timedelta(days=days - 1))

        def file(k):
            respondent = repeat_respondent if k == 0 else rnd.choice(RESPONDENTS)
            c = services.file_exhibition_complaint(
                worker, exhibition=state["ex"], complainant=rnd.choice(["包头某稀土科技股份有限公司", "内蒙古某乳业股份有限公司",
                                                                         "鄂尔多斯某羊绒集团有限公司"]),
                respondent=respondent, booth=f"{'ABC'[k % 3]}-{rnd.randint(1, 40):02d}",
                ip_type=rnd.choice(["patent", "trademark", "patent"]), description="展出的产品与我方权利相同或近似。")
            state[k] = c

        def answer(k):
            state[k] = services.record_answer(state[k], worker, "我方产品采用不同的结构，愿意配合核查。")

        def decide(k):
            services.decide_complaint(state[k], worker, rnd.choice(["withdrawn", "settled", "referred", "rejected"]),
                                      "现场核查后作出处理。")

        self.schedule.at(registered, create)
        for k in range(complaints):
            filed = start + datetime.timedelta(days=rnd.uniform(0, days - 0.5), hours=rnd.uniform(0, 6))
            filed = min(filed, self.now - datetime.timedelta(hours=3))
            self.schedule.at(filed, file, k)
            answered = filed + datetime.timedelta(hours=rnd.uniform(1, 20))
            if answered < self.now:
                self.schedule.at(answered, answer, k)
                decided = answered + datetime.timedelta(hours=rnd.uniform(1, 20))
                if decided < self.now:
                    self.schedule.at(decided, decide, k)

    # -- the plan ----------------------------------------------------------------------------------
    def run(self):
        rnd, workers = self.rnd, self.workers
        n_consultations, n_cases, converted = (30, 14, 4) if self.small else (1212, 132, 40)
        consultations = []
        for i in range(n_consultations):
            self.consultation(workers[i % len(workers)], self.moment(rnd.uniform(0.2, 364)), consultations)
        self.schedule.run()
        consultations.sort(key=lambda pair: pair[1])
        taken = set()
        targets = ["intake", "under_review", "accepted", "declined", "handling", "referred", "closed"]
        for i in range(n_cases):
            if self.small:
                target = targets[i % len(targets)]
                start = self.moment(rnd.uniform(20, 90) if target == "closed" else rnd.uniform(1, 30))
            else:
                age = rnd.uniform(0.5, 364)
                start = self.moment(age)
                target = ("intake" if age < 2 else "under_review" if age < 4 else "accepted" if age < 8 else
                          rnd.choice(["handling", "referred"]) if age < 40 else
                          "declined" if rnd.random() < 0.08 else rnd.choice(["closed", "closed_direct"]))
            fields = self.case_fields(i)
            worker = workers[i % len(workers)]
            if i < converted and fields["kind"] == "assistance":  # the consultation logged before it
                source = next(((c, at) for c, at in reversed(consultations)
                               if c.handled_by_id == worker.pk and c.pk not in taken and at < start), None)
                if source is not None:
                    taken.add(source[0].pk)
                    self.case(worker, start, target, source=source, **fields)
                    continue
            self.case(worker, start, target, **fields)
        # a company's own online request (the demo applicant sees its progress)
        applicant = self.users["applicant"]

        def own_request():
            mine = services.open_case(applicant, station=Station.objects.get(code="hohhot"), kind="assistance",
                                      case_type="trademark_infringement", title="我司商标在电商平台被仿冒",
                                      description="发现多家网店销售仿冒我司商标的乳制品。", respondent="呼和浩特某商贸有限公司")
            self.schedule.at(self.moment(2), services.accept_case, mine, self.manager)

        self.schedule.at(self.moment(5), own_request)
        # exhibitions: the Baotou rare-earth fair is on now; one exhibitor is a repeat infringer
        ws = self.users["station_ws"]
        today = timezone.localtime(self.now).replace(hour=9, minute=0, second=0, microsecond=0)
        exhibitions = EXHIBITIONS[:2] if self.small else EXHIBITIONS
        for k, (name, venue, code) in enumerate(exhibitions):
            worker = next((w for w in workers if w.station.code == code), ws)
            if code == "baotou-rare-earth":
                start, title = today - datetime.timedelta(days=2), f"{today.year} {name}"
            else:
                start = today - datetime.timedelta(days=300 - 37 * k)
                title = f"{start.year} {name}"
            self.exhibition(worker, title, venue, start, days=rnd.choice([3, 4, 5]),
                            complaints=(2 if self.small else rnd.randint(3, 7)),
                            repeat_respondent="包头某磁材有限公司" if k in (0, 1) else rnd.choice(RESPONDENTS))
        self.schedule.run()


def seed(ctx):
    if Consultation.objects.exists():
        return
    Seeder(ctx).run()
    ctx["stdout"].write(f"rightsaid: {Consultation.objects.count()} consultations, "
                        f"{AssistanceCase.objects.count()} cases, {Exhibition.objects.count()} exhibitions\n")

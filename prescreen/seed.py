"""Demo data of the pre-exam, built through the services under a controlled clock: registered
innovation entities across the leagues (plus one applying that fails a rule, one returned, one
suspended and one cancelled for their risk figures), a dairy company modelled on the seed
article (37 cases through the pre-exam channel, 36 granted and 1 rejected, about 1.5 months
from acceptance to grant) and cases in every state.

Every record is made by the services (``prescreen/builders.py``), step by step in time order
(``ipcenter.demo.Schedule``): numbers follow the order of acceptance, each filing meets the
entity's quota of its year, near-duplicates are looked for among earlier filings, a missed
correction is ended by the deadline sweep, and every timeline event carries the audience its
service gives it.  ``volume`` ``small`` (the tests) keeps the demo users' work, the risk
entities and a few years' history of the dairy company; ``full`` adds the other entities'
history."""
import datetime
import math
import random
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, User
from ipcenter.accounts.services import assign_roles
from ipcenter.demo import SMALL, Schedule, later, office_time, on_demand, volume

from . import builders, services
from .builders import document_texts, pdf_bytes
from .models import DefectType, Opinion, PreExamCase, PrescreenSettings, Registration
from .validators import make_application_number

S = PreExamCase.State
CENTRE_OPENED = datetime.date(2022, 9, 28)
DAIRY_CASES, DAIRY_GRANTS, DAIRY_DAYS_TO_GRANT = 37, 36, 45  # seed article: 37 cases, 97 %, 1.5 months
DAIRY_CASES_SMALL = 5

# (subject, domain, raw material step, key step, finishing step, effect)
DAIRY_TOPICS = [
    ("益生菌发酵乳", "乳制品", "将生牛乳标准化后于95℃杀菌5分钟", "冷却至42℃接种嗜热链球菌和乳双歧杆菌发酵",
     "发酵至酸度70°T后于4℃冷藏后熟12小时", "活菌数高、质地细腻"),
    ("低乳糖牛奶", "乳制品", "将生牛乳离心除菌后预热至40℃", "加入乳糖酶水解3小时至乳糖含量低于0.5%",
     "经超高温瞬时灭菌后无菌灌装", "适合乳糖不耐受人群饮用"),
    ("乳清蛋白肽粉", "乳制品", "将乳清蛋白浓缩物配制成10%的溶液", "采用碱性蛋白酶和风味蛋白酶分步酶解",
     "经超滤、浓缩和喷雾干燥得到肽粉", "苦味低、溶解性好"),
    ("再制干酪", "乳制品", "将切达干酪和马苏里拉干酪粉碎混合", "加入乳化盐后在85℃下剪切乳化",
     "热灌装后冷却成型", "融化性和拉伸性稳定"),
    ("婴幼儿配方奶粉", "乳制品", "将脱脂乳与乳清蛋白按比例混合", "添加乳脂肪球膜和低聚半乳糖后均质",
     "经浓缩、喷雾干燥和干法混合得到成品", "营养组成更接近母乳"),
    ("常温酸奶", "乳制品", "将发酵乳基料冷却至25℃", "加入复合稳定剂后进行二次均质",
     "经75℃热处理后无菌灌装", "常温保存6个月不分层"),
    ("乳铁蛋白", "乳制品", "将脱脂乳经微滤除去脂肪和菌体", "采用阳离子交换层析吸附乳铁蛋白",
     "经梯度洗脱、脱盐和冷冻干燥得到成品", "纯度高、铁结合活性保持好"),
    ("牛初乳冻干粉", "乳制品", "收集产后72小时内的牛初乳并快速冷却", "经低温脱脂和膜过滤浓缩免疫球蛋白",
     "在真空条件下冷冻干燥", "免疫球蛋白保留率高"),
    ("高钙奶酪棒", "乳制品", "将再制干酪基料加热至80℃", "添加乳矿物盐并在真空条件下搅拌",
     "挤出成型后充氮包装", "钙含量高、口感柔和"),
    ("燕麦植物基饮品", "植物基饮品", "将燕麦浸泡后湿法磨浆", "加入β-淀粉酶和葡萄糖苷酶液化糖化",
     "经调配、均质和超高温灭菌得到成品", "不添加蔗糖而口感清甜"),
    ("乳酸菌发酵剂", "乳品微生物", "将筛选得到的植物乳杆菌在MRS培养基中扩培", "在pH 5.8条件下高密度培养",
     "经离心收集菌泥后加入保护剂冻干", "冻干存活率高"),
    ("A2β-酪蛋白牛奶", "乳制品", "对奶牛进行A2基因型检测并分群饲养", "对A2型牛乳单独收集和检测",
     "经巴氏杀菌后冷链灌装", "易于消化吸收"),
    ("稀奶油", "乳制品", "将生牛乳分离得到脂肪含量40%的稀奶油", "在75℃下巴氏杀菌后进行物理成熟",
     "于5℃下冷藏老化12小时", "打发率高、稳定性好"),
    ("羊奶粉", "乳制品", "将新鲜羊乳经过滤和冷却后标准化", "采用低温蒸发浓缩去除膻味物质",
     "经喷雾干燥和流化床附聚得到成品", "膻味轻、冲调性好"),
    ("乳脂肪球膜", "乳制品", "以酪乳为原料进行微滤分离", "采用超临界二氧化碳萃取中性脂",
     "经冷冻干燥得到乳脂肪球膜粉", "磷脂含量高"),
]
BIO_TOPICS = [
    ("肉苁蓉多糖提取物", "天然产物", "将肉苁蓉切片干燥后粉碎", "在60℃下用水提取并醇沉多糖",
     "经脱蛋白和冷冻干燥得到成品", "多糖得率高"),
    ("沙棘黄酮", "天然产物", "将沙棘叶粉碎后过40目筛", "采用70%乙醇超声辅助提取",
     "经大孔树脂纯化和浓缩干燥", "黄酮纯度高"),
    ("玉米秸秆青贮饲料", "饲料", "将玉米秸秆切碎至2厘米长度", "接种布氏乳杆菌后密封发酵30天",
     "开窖后进行有氧稳定性检测", "适口性好、二次发酵少"),
    ("苜蓿草粉发酵饲料", "饲料", "将苜蓿草粉与麸皮混合", "接种枯草芽孢杆菌和酵母菌固态发酵",
     "在55℃下低温烘干后制粒", "蛋白消化率高"),
    ("L-乳酸发酵菌株", "工业微生物", "从草原土壤中分离凝结芽孢杆菌", "经常压室温等离子体诱变筛选",
     "在50℃下以玉米糖化液发酵产L-乳酸", "光学纯度高、产酸快"),
    ("燕麦β-葡聚糖", "食品生物", "将燕麦麸粉碎后用热水浸提", "采用耐高温α-淀粉酶去除淀粉",
     "经醇沉、洗涤和干燥得到成品", "分子量分布集中"),
    ("布鲁氏菌病诊断试剂", "兽医生物", "表达并纯化布鲁氏菌外膜蛋白", "将外膜蛋白与胶体金偶联",
     "组装成免疫层析试纸条", "检测灵敏度高、判读快"),
    ("枸杞多糖", "天然产物", "将枸杞子脱脂后粉碎", "采用复合酶在50℃下辅助提取",
     "经超滤分级和冷冻干燥得到成品", "抗氧化活性强"),
    ("羊肚菌菌种", "食用菌", "采集野生羊肚菌子实体组织分离", "在PDA培养基上纯化并进行出菇试验",
     "以麦粒为基质制备栽培种", "出菇稳定、产量高"),
    ("马铃薯淀粉废水回收蛋白", "食品生物", "收集马铃薯淀粉生产的工艺水", "经酸热絮凝沉淀回收蛋白",
     "经离心脱水和闪蒸干燥", "蛋白回收率高"),
]
MATERIAL_TOPICS = [
    ("钕铁硼永磁材料", "稀土永磁材料", "按配比熔炼钕铁硼合金并速凝成薄片", "经氢破和气流磨制成3微米的粉末",
     "在磁场中取向成型后烧结和回火", "矫顽力高、重稀土用量少"),
    ("稀土抛光粉", "稀土功能材料", "将碳酸铈与氟化物按比例混合", "在950℃下焙烧4小时",
     "经分级研磨得到D50为1.2微米的抛光粉", "切削力强、划伤少"),
    ("高纯石墨负极材料", "电池材料", "将天然鳞片石墨球形化处理", "采用碱酸法提纯至固定碳99.95%",
     "包覆沥青后在1200℃下碳化", "首次库伦效率高"),
    ("石墨烯导热膜", "碳材料", "将氧化石墨烯浆料涂布成膜", "在2800℃下进行石墨化处理",
     "经压延得到厚度40微米的导热膜", "面内导热系数高"),
    ("铝合金板材", "有色金属材料", "按成分熔铸铝合金扁锭", "在540℃下均匀化后热轧",
     "经冷轧和时效处理得到板材", "强度和成形性兼顾"),
    ("碳纤维复合材料", "复合材料", "将聚丙烯腈原丝预氧化", "在1300℃下碳化并进行表面处理",
     "与环氧树脂预浸后热压成型", "层间剪切强度高"),
    ("稀土镁合金", "有色金属材料", "按成分熔炼含钇和钆的镁合金", "经固溶处理后挤压成型",
     "在200℃下时效处理", "高温强度高、耐蚀性好"),
    ("聚氯乙烯复合材料", "高分子材料", "将聚氯乙烯树脂与稳定剂混合", "加入改性碳酸钙后双螺杆挤出",
     "经注塑得到制品", "抗冲击强度高"),
    ("煤基针状焦", "煤化工材料", "将煤焦油沥青脱除喹啉不溶物", "在延迟焦化装置中热缩聚",
     "经1400℃煅烧得到针状焦", "热膨胀系数低"),
    ("高强耐磨钢", "钢铁材料", "按成分冶炼含铌和钛的低合金钢", "采用控轧控冷工艺轧制",
     "经淬火和低温回火得到成品", "硬度高、韧性好"),
    ("氮化硅陶瓷", "陶瓷材料", "将氮化硅粉与稀土氧化物烧结助剂球磨混合", "经冷等静压成型",
     "在1800℃下气压烧结", "断裂韧性高"),
    ("稀土发光材料", "稀土功能材料", "将氧化钇和氧化铕按比例混合", "加入助熔剂后在1500℃下还原焙烧",
     "经洗涤、分级和包膜得到荧光粉", "发光亮度高、热稳定性好"),
]
DAIRY_FORMS = [("及其制备方法", "制备方法"), ("的生产工艺", "生产工艺"), ("的品质检测方法", "检测方法")]
BIO_FORMS = [("及其制备方法", "制备方法"), ("的制备工艺", "制备工艺"), ("的检测方法", "检测方法")]
MATERIAL_FORMS = [("及其制备方法", "制备方法"), ("的热处理工艺", "热处理工艺"), ("的表面处理方法", "表面处理方法")]


def titles(topics, forms):
    """(title, topic, short name) for every topic × form, topic-major."""
    return [(f"一种{t[0]}{suffix}", t, short) for suffix, short in forms for t in topics]



# (key, name, 16-char base, league, fields)
EXTRA_ORGS = [
    ("hohhot-pharma", "呼和浩特康源生物制药有限公司", "91150100MA0N0101", "hohhot", ["biology"]),
    ("baotou-magnet", "包头永磁新材料科技有限公司", "91150200MA0N0102", "baotou", ["new-materials"]),
    ("baotou-alloy", "包头特种合金材料有限公司", "91150200MA0N0103", "baotou", ["new-materials"]),
    ("ordos-carbon", "鄂尔多斯碳纤维材料有限公司", "91150600MA0N0104", "ordos", ["new-materials"]),
    ("chifeng-vet", "赤峰瑞康动物生物制品有限公司", "91150400MA0N0105", "chifeng", ["biology"]),
    ("tongliao-ferment", "通辽玉米生物发酵有限公司", "91150500MA0N0106", "tongliao", ["biology"]),
    ("ulanqab-potato", "乌兰察布马铃薯生物科技有限公司", "91150900MA0N0107", "ulanqab", ["biology"]),
    ("wuhai-pvc", "乌海氯碱新材料有限公司", "91150300MA0N0108", "wuhai", ["new-materials"]),
    ("hohhot-dairy-tech", "呼和浩特新乳源生物科技有限公司", "91150100MA0N0109", "hohhot", ["biology"]),
    ("bayannur-risk", "巴彦淖尔丰禾生物科技有限公司", "91150800MA0N0110", "bayannur", ["biology"]),
    ("ordos-cancelled", "鄂尔多斯恒晟材料科技有限公司", "91150600MA0N0111", "ordos", ["new-materials"]),
]
# Registered entities and their number of historical (concluded) bulk cases.
REGISTERED = {
    "rare-earth": 9, "agency": 0, "bio-hulunbuir": 7, "hinggan-agri": 4, "tongliao-mat": 5, "chifeng-bio": 6,
    "ulanqab-graphite": 5, "ordos-coal": 7, "bayannur-bio": 4, "alxa-desert": 4, "imu": 8,
    "hohhot-pharma": 6, "baotou-magnet": 8, "baotou-alloy": 5, "ordos-carbon": 4, "chifeng-vet": 4,
    "tongliao-ferment": 5, "ulanqab-potato": 3, "wuhai-pvc": 3,
}
NAMES = ["王建国", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周涛", "吴琼", "郑凯", "孙悦",
         "巴特尔", "乌云其其格", "额尔敦", "萨仁"]



# (defect type code, location, text, suggestion)
DEFECT_TEXTS = [
    ("unclear-claim", "权利要求 2", "“所述原料”在权利要求1中没有出现，缺乏引用基础，保护范围不清楚。",
     "在权利要求1中明确记载原料的组成，或将权利要求2中的用语改为与权利要求1一致。"),
    ("unsupported-claim", "权利要求 1", "权利要求1中的温度范围概括过宽，说明书仅给出了一个温度点的实施例。",
     "将温度范围限缩至实施例支持的范围，或补充相应的实施例和效果数据。"),
    ("inventiveness", "权利要求 1", "对比文件1公开了相同的工艺路线，区别仅在于常规参数的选择，创造性存在疑问。",
     "在权利要求1中补充能够带来预料不到技术效果的特征，并在意见陈述中说明对比实验结果。"),
    ("insufficient-disclosure", "说明书 第[0007]段", "未记载关键工艺参数的具体数值，本领域技术人员难以实现。",
     "补充具体的工艺参数及检测数据。"),
    ("formal", "说明书 第[0004]段", "技术方案的描述与权利要求1的步骤顺序不一致。", "按权利要求1的步骤顺序修改说明书的描述。"),
    ("drawing", "附图 图2", "图2中的坐标轴缺少物理量和单位。", "在图2中标注坐标轴的物理量和单位。"),
    ("abstract", "摘要", "摘要中含有评价性用语，未写明主要技术特征。", "删除评价性用语，写明技术方案的要点。"),
    ("novelty", "权利要求 3", "对比文件2公开了权利要求3的全部附加技术特征。", "删除权利要求3或将其与其他特征组合后并入独立权利要求。"),
]






def _org(key, name, base, league, field_codes, ctx):
    from ipcenter.management.commands.seed_demo import uscc_with_check

    base17 = (base + "0")[:17]
    org, _ = Organization.objects.get_or_create(
        uscc=uscc_with_check(base17),
        defaults={"name": name, "kind": Organization.Kind.COMPANY, "league": ctx["stations"][league],
                  "status": Organization.Status.ACTIVE, "contact_name": "联系人", "contact_phone": "0471-6600000",
                  "address": f"{ctx['stations'][league].name}辖区"})
    org.technical_fields.set([ctx["fields"][c] for c in field_codes])
    return org


def _contact_user(org, key, rnd):
    """An applicant account for an entity without a demo user (no usable password)."""
    user, created = User.objects.get_or_create(username=f"contact-{key}", defaults={
        "display_name": rnd.choice(NAMES), "organization": org, "email": ""})
    if created:
        user.set_unusable_password()
        user.save()
        assign_roles(user, roles.APPLICANT)
    return user


GAPS = {"submit": (0, 0), "refuse": (0.3, 2), "accept": (0.2, 1.5), "withdraw": (1, 4), "claim": (0.05, 1.5),
        "issue_nc": (2, 5), "correct": (1, 4), "timeout": (7, 8), "qualify": (1.5, 5), "disqualify": (2, 5),
        "cnipa_filed": (1, 7), "cnipa_outcome": (25, 45)}
CONCLUSIONS = {"issue_nc": Opinion.Conclusion.NEEDS_CORRECTION, "qualify": Opinion.Conclusion.QUALIFIED,
               "disqualify": Opinion.Conclusion.UNQUALIFIED}


class CaseRun:
    """One planned case: its steps and their moments, run one by one from the schedule."""

    def __init__(self, seeder, spec):
        self.seeder, self.spec, self.case, self.op = seeder, spec, None, None
        self.steps = spec["steps"]

    def start(self):
        self.seeder.schedule.at(self.steps[0][1], self.run, 0)

    def run(self, i):
        step, _ = self.steps[i]
        getattr(self, f"do_{step}")()
        if i + 1 < len(self.steps):
            step, moment = self.steps[i + 1]
            if step == "timeout":  # the sweep after the correction clock's due date
                moment = max(moment, self.correction_due() + datetime.timedelta(hours=self.seeder.rnd.uniform(1, 9)))
            self.seeder.schedule.at(moment, self.run, i + 1)

    def correction_due(self):
        from ipcenter.deadlines.services import deadlines_of

        return deadlines_of(self.case, services.CORRECTION, pending=True).latest("due_at").due_at

    # -- the steps -------------------------------------------------------------------------------
    def do_draft(self):
        spec = self.spec
        title, topic, short = spec["title"]
        org = spec["org"]
        files = builders.application_files(title, topic, short, applicant=org.name, inventors=spec["inventors"],
                                           pdf_claims=spec["pdf_claims"])
        self.case = builders.draft(spec["filer"], title=title, technical_field=spec["field"], files=files,
                                   organization=org, inventors=spec["inventors"], ipc=spec["ipc"])

    def do_submit(self):
        self.case = services.submit_case(self.case, self.spec["filer"])

    def do_refuse(self):
        self.case = services.refuse_case(self.case, self.seeder.manager, self.spec["refuse_reason"])

    def do_accept(self):
        self.case = services.accept_case(self.case, self.seeder.manager)

    def do_withdraw(self):
        self.case = services.withdraw_case(self.case, self.spec["filer"], "申请人调整技术方案，主动撤回。")

    def do_claim(self):
        examiner = self.spec["examiner"]
        by_manager = self.seeder.rnd.random() < 0.3
        self.case = builders.take(self.case, examiner, self.seeder.manager if by_manager else None)

    def do_write(self):
        sd = self.seeder
        self.op = services.start_opinion(self.case, self.spec["examiner"])
        for code, location, text, suggestion in self.spec["items"].pop(0):
            services.add_defect_item(self.op, self.spec["examiner"], defect_type=sd.defects[code], location=location,
                                     text=text, suggestion=suggestion)

    def do_submit_opinion(self):
        conclusion, reasons = self.spec["conclusions"].pop(0)
        services.submit_opinion(self.op, self.spec["examiner"], conclusion=conclusion, reasons=reasons)
        self.op.refresh_from_db()

    def do_peer(self):
        builders.release_held(self.op)
        self.case.refresh_from_db()

    def do_correct(self):
        title, topic, short = self.spec["title"]
        _, claims, _ = document_texts(title, topic, short)
        revised = claims[:3] + [claims[3].replace("其特征在于，", "其特征在于，按预审意见修改后，")]
        self.case = services.submit_correction(
            self.case, self.spec["filer"], {"claims": SimpleUploadedFile("权利要求书（修改）.pdf", pdf_bytes(revised))}
            if self.spec["pdf_claims"] else {"claims": SimpleUploadedFile(
                "权利要求书（修改）.docx", builders.docx_bytes(revised))}, note="已按预审意见修改权利要求书。")

    def do_timeout(self):
        self.case = builders.lapse_correction(self.case)

    def do_cnipa_filed(self):
        filed_on = timezone.localdate()
        self.case = services.record_cnipa_filing(self.case, self.spec["filer"],
                                                 application_number=self.seeder.cnipa_number(filed_on),
                                                 filed_on=filed_on)

    def do_cnipa_outcome(self):
        outcome = self.spec["outcome"]
        reasons = {PreExamCase.CnipaOutcome.REJECTION: "实审认为权利要求1相对于对比文件1与本领域公知常识的结合不具备创造性。",
                   PreExamCase.CnipaOutcome.DEEMED_WITHDRAWN: "申请人未在规定期限内答复审查意见通知书。"}.get(outcome, "")
        self.case = services.record_cnipa_outcome(self.case, self.spec["filer"], outcome=outcome,
                                                  outcome_date=timezone.localdate(), reasons=reasons)


class Seeder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rnd = random.Random(20220928)
        self.small = volume(ctx) == SMALL
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.schedule = Schedule(until=self.now)
        self.users = ctx["users"]
        self.manager = self.users["manager"]
        self.fields = ctx["fields"]
        self.orgs = dict(ctx["orgs"])
        self.filers = {}
        self.decided = {}
        self.defects = {d.code: d for d in DefectType.objects.all()}
        self.cfg = PrescreenSettings.load()
        self.serials = iter(range(1_046_000, 10_000_000, 7919))
        self.used_titles = {}
        self._fields = {}
        self.runs = []

    # -- helpers ---------------------------------------------------------------------------------
    def title_for(self, org, pool):
        """A title from ``pool`` the organisation has not used yet."""
        used = self.used_titles.setdefault(org.pk, set())
        for title, topic, short in pool:
            if title not in used:
                used.add(title)
                return title, topic, short
        raise RuntimeError(f"title pool exhausted for {org}")

    def pool_for(self, org):
        if org == self.orgs["dairy"] or "乳" in org.name:
            return self.dairy_pool
        if self.field_of(org).code == "biology":
            return self.bio_pool
        return self.material_pool

    def field_of(self, org):
        if org.pk not in self._fields:
            self._fields[org.pk] = org.technical_fields.order_by("pk")[0]
        return self._fields[org.pk]

    def inventors(self):
        return "；".join(self.rnd.sample(NAMES, self.rnd.randint(2, 4)))

    def cnipa_number(self, filed_on):
        return make_application_number(filed_on.year, 1, next(self.serials))

    def examiner_for(self, field, accepted_at):
        users = self.users
        if field.code == "biology":
            return users["examiner"] if self.rnd.random() < 0.6 else users["examiner2"]
        hired = users["examiner3"].hired_on
        if hired and timezone.localtime(accepted_at).date() >= hired and self.rnd.random() < 0.5:
            return users["examiner3"]
        return users["examiner2"]

    # -- organisations and registrations -----------------------------------------------------------
    def organisations(self):
        for key, name, base, league, field_codes in EXTRA_ORGS:
            self.orgs[key] = _org(key, name, base, league, field_codes, self.ctx)
        self.filers = {"dairy": self.users["applicant"], "rare-earth": self.users["applicant2"],
                       "agency": self.users["agency"], "bio-hulunbuir": self.users["agency"]}
        self.contacts = {"dairy": self.users["applicant"], "rare-earth": self.users["applicant2"],
                         "agency": self.users["agency"]}
        for key, org in self.orgs.items():
            if key not in self.contacts and org.kind != Organization.Kind.AGENCY:
                self.contacts[key] = _contact_user(org, key, self.rnd)
            self.filers.setdefault(key, self.contacts.get(key))

    def register(self, key, when, *, decide="approve", reason="", staff=30, inventions=2, utility=3,
                 established=None, user=None):
        """The entity applies at ``when``; the manager decides (approves or returns) 1–4 days
        later.  Returns the moment of the decision (``None`` while it is still applying)."""
        org = self.orgs[key]
        user = user or self.contacts[key]
        fields = list(org.technical_fields.all()) or [self.fields["biology"], self.fields["new-materials"]]
        established = established or datetime.date(2008 + self.rnd.randrange(12), self.rnd.randint(1, 12),
                                                   self.rnd.randint(1, 28))
        details = dict(established_on=established, insured_staff=staff, invention_patents=inventions,
                       utility_design_patents=utility, contact_name=user.display_name or "联系人",
                       contact_phone=f"0471-66{self.rnd.randrange(10**5, 10**6)}")
        state = {}

        def apply():
            state["reg"] = services.apply_registration(user, technical_fields=fields, **details)

        def approve():
            services.approve_registration(state["reg"], self.manager)

        def return_():
            services.return_registration(state["reg"], self.manager, reason)

        self.schedule.at(when, apply)
        if decide is None:
            return None
        decided = later(when, self.rnd, 1, 4)
        self.schedule.at(decided, approve if decide == "approve" else return_)
        self.decided[key] = decided
        return decided

    def registrations(self):
        rnd = self.rnd
        for key, user, day, est, staff, inv, util in [
                ("dairy", self.users["applicant"], datetime.date(2022, 10, 8), datetime.date(1999, 8, 18), 8600, 120,
                 340),
                ("rare-earth", self.users["applicant2"], datetime.date(2022, 11, 14), datetime.date(2012, 8, 18), 210,
                 14, 36)]:
            self.register(key, office_time(day, rnd), established=est, staff=staff, inventions=inv, utility=util,
                          user=user)
        for key in REGISTERED:
            if key not in self.decided:
                self.register(key, office_time(CENTRE_OPENED + datetime.timedelta(days=rnd.randint(5, 200)), rnd))
        self.register("bayannur-risk", office_time(datetime.date(2023, 2, 20), rnd))
        self.register("ordos-cancelled", office_time(CENTRE_OPENED + datetime.timedelta(days=60), rnd))
        # applying and failing rules (staff, patents): staff see which rule fails
        self.register("xilingol-food", later(self.now - datetime.timedelta(days=3), rnd, 0, 1), decide=None, staff=4,
                      inventions=0, utility=1)
        # applying and eligible: ready for the manager to approve
        self.register("hohhot-dairy-tech", later(self.now - datetime.timedelta(days=2), rnd, 0, 1), decide=None,
                      staff=26, inventions=1, utility=4)
        self.register("wuhai-chem", office_time((self.now - datetime.timedelta(days=44)).date(), rnd), decide="return",
                      reason="参保证明与营业执照主体不一致，请补充近三个月的社保缴纳证明后重新提交。")

    # -- plans -------------------------------------------------------------------------------------
    def plan(self, org_key, target, *, start=None, end=None, corrections=0, outcome=None, filed=True,
             agency=None, draft_opinion=False, termination="withdraw", days_to_grant=None, examiner=None,
             reasons="", items=None):
        """A case: its steps from the draft to ``target`` with their moments.  Concluded cases
        run forward from ``start``; open ones are placed so their last step is at ``end``."""
        rnd = self.rnd
        steps = ["submit"]
        if target == S.REFUSED:
            steps.append("refuse")
        elif target not in (S.SUBMITTED, S.DRAFT):
            steps.append("accept")
            if target == S.TERMINATED and termination == "withdraw":
                steps.append("withdraw")
            elif target != S.ACCEPTED:
                steps.append("claim")
                for _ in range(corrections):
                    steps += ["issue_nc", "correct"]
                if target == S.NEEDS_CORRECTION:
                    steps.append("issue_nc")
                elif target == S.TERMINATED:
                    steps += ["issue_nc", "timeout"]
                elif target in (S.QUALIFIED, S.UNQUALIFIED):
                    steps.append("qualify" if target == S.QUALIFIED else "disqualify")
                    if target == S.QUALIFIED and filed:
                        steps.append("cnipa_filed")
                        if outcome:
                            steps.append("cnipa_outcome")
        if target == S.DRAFT:
            steps = []
        offsets, total = [], 0.0
        for step in steps:
            total += rnd.uniform(*GAPS[step])
            offsets.append(total)
        if days_to_grant is not None:  # stretch the CNIPA leg so acceptance → grant takes days_to_grant
            accept_at = offsets[steps.index("accept")]
            offsets[-1] = max(offsets[-2] + 12, accept_at + days_to_grant)
            total = offsets[-1]
        if start is None:
            end = end or self.now - datetime.timedelta(hours=rnd.uniform(2, 60))
            start = end - datetime.timedelta(days=total)
        moments, prev = [], None
        for step, offset in zip(steps, offsets):
            moment = start + datetime.timedelta(days=offset)
            local = timezone.localtime(moment)
            if step not in ("cnipa_outcome", "timeout") and (local.weekday() >= 5 or not 8 <= local.hour < 18):
                moment = office_time(local.date() + datetime.timedelta(days=1 if local.hour >= 18 else 0), rnd)
            if prev and moment <= prev:
                moment = prev + datetime.timedelta(minutes=rnd.randint(20, 240))
            moments.append(moment)
            prev = moment
        if moments and moments[-1] > self.now - datetime.timedelta(minutes=30):  # never in the future
            shift = moments[-1] - self.now + datetime.timedelta(hours=rnd.uniform(1, 24))
            moments = [m - shift for m in moments]
        created = (moments[0] if moments else end or self.now) - datetime.timedelta(days=rnd.uniform(0.2, 6))
        org = self.orgs[org_key]
        field = self.field_of(org)
        accepted = dict(zip(steps, moments)).get("accept")
        if "claim" in steps and examiner is None:
            examiner = self.examiner_for(field, accepted)
        title = self.title_for(org, self.pool_for(org))
        spec = {"org": org, "key": org_key, "target": target, "outcome": outcome, "examiner": examiner,
                "filer": self.users["agency"] if agency is not None else self.filers[org_key], "title": title,
                "field": field, "inventors": self.inventors(), "items": [], "conclusions": [],
                "ipc": "A23C 9/13" if title[1][1] in ("乳制品", "植物基饮品", "乳品微生物") else
                       {"biology": "A23C 9/12", "new-materials": "C22C 1/02"}.get(field.code, ""),
                # claims as PDF (~0.1 s to render) for the last month's filings, DOCX (ms) before
                "pdf_claims": created > self.now - datetime.timedelta(days=30),
                "refuse_reason": rnd.choice(["申请文件中的技术方案属于新能源领域，不在中心目前开展预审的技术领域内。",
                                             "该申请为分案申请，不属于预审受理范围。",
                                             "请求书中的申请人与备案主体不一致，请核实后重新提交。"])}
        timeline = [("draft", created)]
        for step, moment in zip(steps, moments):
            if step in CONCLUSIONS:
                # written over some hours, submitted, then its 互检 passed before it is issued
                write = max(timeline[-1][1] + datetime.timedelta(minutes=10),
                            moment - datetime.timedelta(hours=rnd.uniform(3, 20)))
                submit = write + (moment - write) * rnd.uniform(0.5, 0.9)
                timeline += [("write", write), ("submit_opinion", submit), ("peer", moment)]
                spec["items"].append(items if items is not None else (
                    rnd.sample(DEFECT_TEXTS, rnd.randint(1, 3)) if step == "issue_nc" else []))
                conclusion = CONCLUSIONS[step]
                why = reasons or (rnd.choice(["对比文件1公开了权利要求1的全部技术特征，补正后仍不具备新颖性，预审不合格。",
                                              "说明书未公开关键工艺参数，本领域技术人员无法实现，预审不合格。"])
                                  if step == "disqualify" else "")
                spec["conclusions"].append((conclusion, why))
            else:
                timeline.append((step, moment))
        if draft_opinion and target == S.EXAMINING:
            moment = min(self.now - datetime.timedelta(minutes=20),
                         timeline[-1][1] + datetime.timedelta(hours=rnd.uniform(1, 20)))
            timeline.append(("write", moment))
            spec["items"].append(rnd.sample(DEFECT_TEXTS, 1))
        spec["steps"] = timeline
        run = CaseRun(self, spec)
        self.runs.append(run)
        run.start()
        return run

    @staticmethod
    def yearly_counts(total, years, first_cap, reserve):
        """Cases per calendar year that respect the annual quota (DOMAIN §1): the first year at
        most ``first_cap``, then at most the quota the previous year's qualified cases give,
        less ``reserve[year]`` for other filings of that year."""
        cfg = PrescreenSettings.load()
        counts, previous, left = [], None, total
        for year in years:
            quota = first_cap if previous is None else max(cfg.quota_minimum,
                                                           math.ceil(previous * float(cfg.quota_growth)))
            n = max(0, min(left, quota - reserve.get(year, 0)))
            counts.append(n)
            previous, left = n, left - n
        if left:
            raise RuntimeError(f"{total} cases do not fit the quota of {list(years)}")
        return counts

    def plan_dairy(self):
        """The article's dairy company: 37 cases through the channel, 36 granted, 1 rejected (the
        last), about 1.5 months from acceptance to grant; some filed by its agency.  Its open
        cases are planned in ``plan_demo_cases`` (five of them filed this year)."""
        rnd = self.rnd
        total = DAIRY_CASES_SMALL if self.small else DAIRY_CASES
        last_day = (self.now - datetime.timedelta(days=100)).date()
        first_year = last_day.year - 1 if self.small else CENTRE_OPENED.year
        years = list(range(first_year, last_day.year + 1))
        counts = self.yearly_counts(total, years, first_cap=4 if not self.small else 5,
                                    reserve={self.today.year: 6})
        days = [min(62, max(31, rnd.gauss(DAIRY_DAYS_TO_GRANT, 7))) for _ in range(total - 1)]
        shift = sum(days) / len(days) - DAIRY_DAYS_TO_GRANT
        grants = iter(d - shift for d in days)
        i = 0
        for year, n in zip(years, counts):
            begin = max(datetime.date(year, 1, 10), datetime.date(2022, 10, 20))
            end = min(datetime.date(year, 12, 5), last_day)
            for k in range(n):
                day = begin + datetime.timedelta(days=int((end - begin).days * (k + rnd.random()) / n))
                agency = self.orgs["agency"] if i % 5 == 2 else None
                if i == total - 1:
                    self.plan("dairy", S.QUALIFIED, start=office_time(day, rnd), corrections=1, agency=agency,
                              outcome=PreExamCase.CnipaOutcome.REJECTION)
                else:
                    self.plan("dairy", S.QUALIFIED, start=office_time(day, rnd), corrections=int(rnd.random() < 0.35),
                              agency=agency, outcome=PreExamCase.CnipaOutcome.GRANT, days_to_grant=next(grants))
                i += 1

    def plan_history(self):
        """The concluded history of the other registered entities (full volume)."""
        rnd = self.rnd
        for key, count in REGISTERED.items():
            registered = self.decided[key]
            window = (self.now - datetime.timedelta(days=75) - registered).days
            failures = 0
            agency = self.orgs["agency"] if key == "bio-hulunbuir" else None
            for i in range(count):
                start = office_time(timezone.localtime(registered).date()
                                    + datetime.timedelta(days=10 + int(window * (i + rnd.random()) / count)), rnd)
                roll = rnd.random()
                if roll < 0.08:
                    self.plan(key, S.REFUSED, start=start, agency=agency)
                elif roll < 0.16 and failures < count // 4:
                    failures += 1
                    self.plan(key, S.UNQUALIFIED, start=start, corrections=int(rnd.random() < 0.5), agency=agency)
                elif roll < 0.22:
                    self.plan(key, S.TERMINATED, start=start, agency=agency,
                              termination=rnd.choice(["withdraw", "timeout"]))
                else:
                    outcome = rnd.choices([PreExamCase.CnipaOutcome.GRANT, PreExamCase.CnipaOutcome.REJECTION,
                                           PreExamCase.CnipaOutcome.DEEMED_WITHDRAWN], [88, 8, 4])[0]
                    self.plan(key, S.QUALIFIED, start=start, corrections=int(rnd.random() < 0.4), agency=agency,
                              outcome=outcome)

    def plan_open_work(self):
        """The examiners' queues and the open cases of the other entities."""
        rnd, now = self.rnd, self.now

        def ago(low, high):
            return now - datetime.timedelta(days=rnd.uniform(low, high))

        ag = self.orgs["agency"]
        if self.small:  # one of each open state besides the demo users' own
            self.plan("chifeng-vet", S.ACCEPTED, end=ago(14, 15))  # past its 7-working-day turnaround
            self.plan("ordos-coal", S.ACCEPTED, end=ago(0.1, 4))
            self.plan("ulanqab-graphite", S.SUBMITTED, end=ago(0.1, 2))
            self.plan("ulanqab-potato", S.EXAMINING, end=ago(1, 3), draft_opinion=True)
            self.plan("baotou-magnet", S.NEEDS_CORRECTION, end=ago(1, 3))
            self.plan("imu", S.QUALIFIED, end=ago(1, 4), filed=False)  # CNIPA filing clock running
            self.plan("hohhot-pharma", S.QUALIFIED, end=ago(10, 20))  # filed, CNIPA outcome pending
            return
        # accepted, unclaimed (one past its 7-working-day turnaround)
        for key, agency in [("chifeng-bio", None), ("hohhot-pharma", None), ("alxa-desert", None),
                            ("bayannur-bio", None), ("tongliao-ferment", None), ("bio-hulunbuir", ag)]:
            self.plan(key, S.ACCEPTED, end=ago(0.1, 4), agency=agency)
        self.plan("chifeng-vet", S.ACCEPTED, end=ago(14, 15))
        for key in ("ordos-coal", "baotou-magnet", "tongliao-mat", "wuhai-pvc"):
            self.plan(key, S.ACCEPTED, end=ago(0.1, 4))
        for key in ("ulanqab-graphite", "baotou-alloy", "hinggan-agri"):  # awaiting acceptance
            self.plan(key, S.SUBMITTED, end=ago(0.1, 2))
        self.plan("ulanqab-potato", S.EXAMINING, end=ago(1, 3), draft_opinion=True)
        self.plan("hohhot-pharma", S.EXAMINING, end=ago(2, 4), corrections=1, draft_opinion=True)
        self.plan("ordos-coal", S.EXAMINING, end=ago(1, 3), draft_opinion=True)
        self.plan("imu", S.EXAMINING, end=ago(0.2, 1))
        self.plan("bio-hulunbuir", S.NEEDS_CORRECTION, end=ago(0.5, 2), agency=ag)
        self.plan("baotou-magnet", S.NEEDS_CORRECTION, end=ago(1, 3))
        self.plan("chifeng-vet", S.NEEDS_CORRECTION, end=ago(0.2, 1), corrections=1)
        self.plan("imu", S.QUALIFIED, end=ago(1, 4), filed=False)  # CNIPA filing clock running
        self.plan("ordos-carbon", S.QUALIFIED, end=ago(2, 6), filed=False)
        self.plan("hohhot-pharma", S.QUALIFIED, end=ago(10, 20))  # filed, CNIPA outcome pending
        self.plan("rare-earth", S.QUALIFIED, end=ago(5, 15))
        self.plan("tongliao-mat", S.DRAFT, end=ago(0, 2))
        self.plan("bio-hulunbuir", S.DRAFT, end=ago(0, 1), agency=ag)

    def plan_risk_cases(self):
        """bayannur-risk: 5 cases concluded 3–10 months ago, 3 of them 预审不合格 (suspended 50 days
        ago, see ``risk_actions``; in the full volume after 3 granted cases the year before);
        ordos-cancelled: 4 of 5 failed in 2023 (cancelled in 2024).  No year exceeds the quota."""
        rnd, now = self.rnd, self.now
        first = now - datetime.timedelta(days=300)
        if not self.small:
            for i in range(3):
                day = datetime.date(timezone.localtime(first).year - 1, 2, 10) + datetime.timedelta(days=50 * i)
                self.plan("bayannur-risk", S.QUALIFIED, start=office_time(day, rnd),
                          outcome=PreExamCase.CnipaOutcome.GRANT)
        for i, target in enumerate([S.UNQUALIFIED, S.QUALIFIED, S.UNQUALIFIED, S.UNQUALIFIED, S.QUALIFIED]):
            start = office_time((first + datetime.timedelta(days=45 * i)).date(), rnd)
            self.plan("bayannur-risk", target, start=start, outcome=PreExamCase.CnipaOutcome.GRANT,
                      corrections=1 if target == S.UNQUALIFIED else 0)
        for i, target in enumerate([S.UNQUALIFIED, S.UNQUALIFIED, S.QUALIFIED, S.UNQUALIFIED, S.UNQUALIFIED]):
            self.plan("ordos-cancelled", target, start=office_time(datetime.date(2023, 6, 5)
                                                                     + datetime.timedelta(days=45 * i), rnd),
                      outcome=PreExamCase.CnipaOutcome.REJECTION)

    def risk_actions(self):
        """The suspension and the cancellation, by the services, with the figures of their day."""
        def suspend():
            reg = Registration.objects.get(organization=self.orgs["bayannur-risk"])
            failed, total = services.failure_figures(reg.organization)
            note = f"近12个月办结 {total} 件，不合格 {failed} 件，不合格率 {failed / total * 100:.0f}%，超过暂停阈值 50%。"
            services.suspend_registration(reg, self.manager, reason=note,
                                          until=timezone.localdate() + datetime.timedelta(days=183))

        def cancel():
            reg = Registration.objects.get(organization=self.orgs["ordos-cancelled"])
            failed, total = services.failure_figures(reg.organization)
            note = f"近12个月办结 {total} 件，不合格 {failed} 件，不合格率 {failed / total * 100:.0f}%，超过取消阈值 70%。"
            services.cancel_registration(reg, self.manager, note)

        self.schedule.at(office_time((self.now - datetime.timedelta(days=50)).date(), self.rnd), suspend)
        self.schedule.at(office_time(datetime.date(2024, 5, 13), self.rnd), cancel)

    def plan_demo_cases(self):
        """The demo users' cases: the dairy company's open work (a draft the demo applicant can
        submit, one in every open state), the agency's round trip with a correction, and the
        rare-earth company's refused, 预审不合格 and withdrawn cases."""
        rnd, now = self.rnd, self.now
        u = self.users

        def ago(days):
            return now - datetime.timedelta(days=days)

        dairy = "dairy"
        self.plan(dairy, S.DRAFT, end=ago(1))
        self.plan(dairy, S.SUBMITTED, end=ago(0.3))
        self.plan(dairy, S.ACCEPTED, end=ago(4))
        self.plan(dairy, S.EXAMINING, end=ago(6), examiner=u["examiner"], draft_opinion=True)
        self.plan(dairy, S.NEEDS_CORRECTION, end=ago(2), examiner=u["examiner"], items=rnd.sample(DEFECT_TEXTS, 2))
        self.plan(dairy, S.QUALIFIED, end=ago(3), examiner=u["examiner"], filed=False)
        # the agency's full round trip: correction, 合格, CNIPA filing, grant
        self.plan("bio-hulunbuir", S.QUALIFIED, start=office_time(ago(96).date(), rnd), corrections=1,
                  agency=self.orgs["agency"], examiner=u["examiner2"], outcome=PreExamCase.CnipaOutcome.GRANT)
        # rare-earth (demo applicant2): refused, 预审不合格, withdrawn
        self.plan("rare-earth", S.REFUSED, end=ago(29))
        self.plan("rare-earth", S.UNQUALIFIED, end=ago(33), examiner=u["examiner3"],
                  reasons="对比文件1公开了权利要求1的全部技术特征，权利要求2、3的附加技术特征属于本领域常规选择，预审不合格。")
        self.plan("rare-earth", S.TERMINATED, end=ago(17))

    def run(self):
        began = time.monotonic()
        rnd = self.rnd
        self.dairy_pool = titles(DAIRY_TOPICS, DAIRY_FORMS)
        self.bio_pool = titles(BIO_TOPICS, BIO_FORMS)
        rnd.shuffle(self.bio_pool)
        self.material_pool = titles(MATERIAL_TOPICS, MATERIAL_FORMS)
        rnd.shuffle(self.material_pool)
        self.organisations()
        self.registrations()
        self.plan_dairy()
        if not self.small:
            self.plan_history()
        self.plan_risk_cases()
        self.plan_open_work()
        self.plan_demo_cases()
        self.risk_actions()
        # the letters of the demo opinions are made by their job on first download
        from .services import examination

        on_demand(examination, "request_letter")
        steps = self.schedule.run()
        self.ctx["stdout"].write(
            f"prescreen: {Registration.objects.count()} registrations, {PreExamCase.objects.count()} cases, "
            f"{Opinion.objects.count()} opinions through the services ({steps} steps) "
            f"in {time.monotonic() - began:.1f} s\n")


def seed(ctx):
    if Registration.objects.exists() or PreExamCase.objects.exists():
        ctx["stdout"].write("prescreen: data already present; skipping\n")
        return
    Seeder(ctx).run()

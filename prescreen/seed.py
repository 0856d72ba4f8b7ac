"""Demo data of the pre-exam: registered innovation entities across the leagues (plus one
applying that fails a rule, one returned, one suspended and one cancelled for their risk
figures), a dairy company modelled on the seed article (37 cases through the pre-exam
channel, 36 granted and 1 rejected, about 1.5 months from acceptance to grant) and cases in
every state.  A handful of cases run through the services at simulated times, so their
timelines, clocks, notifications and letters are real; the bulk is created directly with
backdated timestamps."""
import datetime
import hashlib
import html
import io
import itertools
import random
import re
import zipfile
from contextlib import contextmanager
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, User
from ipcenter.accounts.services import assign_roles
from ipcenter.deadlines.models import Deadline
from ipcenter.deadlines.services import compute_due
from ipcenter.files.models import Attachment, private_storage, random_path
from ipcenter.files.services import store_upload
from ipcenter.workflow.models import TimelineEvent

from . import services
from .models import DefectItem, DefectType, Opinion, PreExamCase, PrescreenSettings, Registration
from .validators import make_application_number

S = PreExamCase.State
CENTRE_OPENED = datetime.date(2022, 9, 28)
DAIRY_CASES, DAIRY_GRANTS, DAIRY_DAYS_TO_GRANT = 37, 36, 45  # seed article: 37 cases, 97 %, 1.5 months

# --- documents ---------------------------------------------------------------------------------
# Minimal copies of tests/prescreen/fixtures/builders.py: DOCX for request/description/abstract
# (from one python-docx template, re-zipped per document: milliseconds each), PDF (WeasyPrint,
# Noto Sans CJK) for claims and one shared drawings file.

_CSS = """
@page { size: A4; margin: 2cm; }
body { font-family: "Noto Sans CJK SC"; font-size: 11pt; line-height: 1.6; }
p { margin: 0 0 0.4em 0; }
.figure { page-break-after: always; text-align: center; }
.figure:last-child { page-break-after: auto; }
.box { width: 8cm; height: 6cm; border: 2px solid #333; margin: 2cm auto 0.5cm auto; }
"""
_PLACEHOLDER = "@@BODY@@"
_docx_template = {}


def pdf_bytes(paragraphs):
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return HTML(string=f"<html><head><style>{_CSS}</style></head><body>{body}</body></html>").write_pdf()


def drawings_pdf_bytes(labels):
    from weasyprint import HTML

    pages = "".join(f'<div class="figure"><div class="box"></div><p>{html.escape(label)}</p></div>'
                    for label in labels)
    return HTML(string=f"<html><head><style>{_CSS}</style></head><body>{pages}</body></html>").write_pdf()


def docx_bytes(paragraphs):
    """A DOCX with one paragraph per item."""
    if not _docx_template:
        import docx

        document = docx.Document()
        document.add_paragraph(_PLACEHOLDER)
        buf = io.BytesIO()
        document.save(buf)
        with zipfile.ZipFile(buf) as zf:
            _docx_template.update({info.filename: zf.read(info) for info in zf.infolist()})
        xml = _docx_template["word/document.xml"].decode()
        para = re.search(r"<w:p>(?:(?!<w:p>).)*?" + _PLACEHOLDER + r".*?</w:p>", xml, re.S).group(0)
        _docx_template["__para__"] = para
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{html.escape(p, quote=False)}</w:t></w:r></w:p>'
                   for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _docx_template.items():
            if name == "__para__":
                continue
            if name == "word/document.xml":
                data = data.decode().replace(_docx_template["__para__"], body).encode()
            zf.writestr(name, data)
    return out.getvalue()


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
DRAWING_LABELS = ["图1", "图2"]


def titles(topics, forms):
    """(title, topic, short name) for every topic × form, topic-major."""
    return [(f"一种{t[0]}{suffix}", t, short) for suffix, short in forms for t in topics]


def document_texts(title, topic, short):
    subject, domain, raw, key, finish, effect = topic
    noun = title[2:]
    description = [
        "说明书", title, "技术领域", f"[0001] 本发明涉及{domain}技术领域，具体涉及{noun}。",
        "背景技术", f"[0002] 现有的{subject}生产中工艺稳定性不足，产品质量波动较大，难以满足规模化生产的要求。",
        "发明内容", f"[0003] 本发明的目的是提供{noun}，以解决上述问题。",
        f"[0004] 本发明的技术方案包括：{raw}；{key}；{finish}。",
        "附图说明", "[0005] 图1是本发明实施例的工艺流程示意图；", "[0006] 图2是本发明实施例与对比例的性能对比图。",
        "具体实施方式", f"[0007] 如图1所示，实施例1中{raw}，然后{key}，最后{finish}。",
        f"[0008] 如图2所示，与对比例相比，本发明的产品{effect}。",
    ]
    claims = [
        "权利要求书",
        f"1. 一种{noun}，其特征在于，包括以下步骤：S1，{raw}；S2，{key}；S3，{finish}。",
        f"2. 根据权利要求1所述的{short}，其特征在于，步骤S1之前还包括对原料进行检验的步骤。",
        f"3. 根据权利要求1或2所述的{short}，其特征在于，步骤S3得到的产品{effect}。",
    ]
    abstract = ["说明书摘要", f"本发明公开了{noun}，包括以下步骤：{raw}；{key}；{finish}。本发明的产品{effect}。"]
    return description, claims, abstract


# --- time helpers -----------------------------------------------------------------------------

@contextmanager
def clock(moment):
    """Run services as if it were ``moment``; each call to ``timezone.now`` ticks one second."""
    ticks = itertools.count()
    with mock.patch.object(timezone, "now", lambda: moment + datetime.timedelta(seconds=next(ticks))):
        yield


@contextmanager
def keep_timestamps(*pairs):
    """Let bulk-created rows keep their backdated ``auto_now_add`` values."""
    fields = [model._meta.get_field(name) for model, name in pairs]
    saved = [f.auto_now_add for f in fields]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in zip(fields, saved):
            f.auto_now_add = value


def office_time(day, rnd, start=9, end=17):
    """An aware datetime on a weekday (moved forward from weekends) during office hours."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    naive = datetime.datetime.combine(day, datetime.time(rnd.randint(start, end - 1), rnd.randrange(60)))
    return timezone.make_aware(naive)


def later(moment, rnd, low, high):
    """``moment`` plus a random number of days in [low, high], in office hours."""
    day = timezone.localtime(moment).date() + datetime.timedelta(days=rnd.uniform(low, high))
    candidate = office_time(day, rnd)
    return candidate if candidate > moment else moment + datetime.timedelta(hours=rnd.uniform(0.5, 3))


# --- organisations and registrations ------------------------------------------------------------

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


class Seeder:
    def __init__(self, ctx):
        self.ctx = ctx
        self.rnd = random.Random(20220928)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.users = ctx["users"]
        self.manager = self.users["manager"]
        self.fields = ctx["fields"]
        self.orgs = dict(ctx["orgs"])
        self.filers = {}
        self.ct_case = ContentType.objects.get_for_model(PreExamCase)
        self.ct_reg = ContentType.objects.get_for_model(Registration)
        self.defects = {d.code: d for d in DefectType.objects.all()}
        self.cfg = PrescreenSettings.load()
        self.serials = itertools.count(1_046_000, 7919)
        self.docs = {}
        self.used_titles = {}
        self.stored = {}
        # bulk rows, flushed in a few queries
        self.specs = []
        self._fields = {}

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

    def documents(self, title, topic, short, pdf_claims=True):
        """{role: (file name, bytes)} of an application (cached per title)."""
        key = (title, pdf_claims)
        if key not in self.docs:
            description, claims, abstract = document_texts(title, topic, short)
            self.docs[key] = {
                "description": ("说明书.docx", docx_bytes(description)),
                "claims": ("权利要求书.pdf", pdf_bytes(claims)) if pdf_claims else
                          ("权利要求书.docx", docx_bytes(claims)),
                "abstract": ("说明书摘要.docx", docx_bytes(abstract)),
                "drawings": ("说明书附图.pdf", self.drawings),
            }
        return self.docs[key]

    def request_doc(self, title, org, inventors):
        return ("请求书.docx", docx_bytes(["发明专利请求书", f"发明名称：{title}", f"申请人：{org.name}",
                                         f"发明人：{inventors}"]))

    def inventors(self):
        return "；".join(self.rnd.sample(NAMES, self.rnd.randint(2, 4)))

    def cnipa_number(self, filed_on, patent_type=PreExamCase.PatentType.INVENTION):
        digit = 1 if patent_type == PreExamCase.PatentType.INVENTION else 2
        return make_application_number(filed_on.year, digit, next(self.serials) % 10_000_000)

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
        for key, org in self.orgs.items():
            if key not in self.filers and org.kind != Organization.Kind.AGENCY:
                self.filers[key] = _contact_user(org, key, self.rnd)

    def register(self, key, *, state=Registration.State.REGISTERED, when, staff=30, inventions=2, utility=3,
                 established=None, **extra):
        """A registration created directly, with its eligibility and timeline backdated to ``when``."""
        org = self.orgs[key]
        fields = list(org.technical_fields.all()) or [self.fields["biology"], self.fields["new-materials"]]
        reg = Registration(organization=org, state=state, established_on=established or datetime.date(
            2008 + self.rnd.randrange(12), self.rnd.randint(1, 12), self.rnd.randint(1, 28)),
            insured_staff=staff, invention_patents=inventions, utility_design_patents=utility,
            contact_name=self.filers.get(key, self.manager).display_name or "联系人",
            contact_phone=f"0471-66{self.rnd.randrange(10**5, 10**6)}", submitted_at=when, **extra)
        decided = later(when, self.rnd, 1, 4) if state != Registration.State.APPLYING else None
        if decided:
            reg.decided_at, reg.decided_by = decided, self.manager
        with keep_timestamps((Registration, "submitted_at")):
            reg.save()
        reg.technical_fields.set(fields)
        reg.eligibility = services.evaluate_eligibility(reg, timezone.localtime(when).date())
        reg.save(update_fields=["eligibility"])
        applicant = self.filers.get(key)
        events = [self.event(self.ct_reg, reg.pk, "prescreen.registration.applied", "申请备案", applicant, when)]
        if decided:
            if state == Registration.State.RETURNED:
                events.append(self.event(self.ct_reg, reg.pk, "prescreen.registration.return", "退回", self.manager,
                                         decided, "applying", "returned", comment=reg.return_reason))
            else:
                events.append(self.event(self.ct_reg, reg.pk, "prescreen.registration.approve", "准予备案",
                                         self.manager, decided, "applying", "registered"))
        self.save_events(events)
        return reg

    def registrations(self):
        rnd = self.rnd
        done = set(Registration.objects.values_list("organization_id", flat=True))
        for key in REGISTERED:
            if self.orgs[key].pk not in done:
                self.register(key, when=office_time(CENTRE_OPENED + datetime.timedelta(days=rnd.randint(5, 200)),
                                                    rnd))
        self.register("bayannur-risk", when=office_time(datetime.date(2023, 2, 20), rnd))
        # applying and failing rules (staff, patents): staff see which rule fails
        self.register("xilingol-food", state=Registration.State.APPLYING, staff=4, inventions=0, utility=1,
                      when=later(self.now - datetime.timedelta(days=3), rnd, 0, 1))
        # applying and eligible: ready for the manager to approve
        self.register("hohhot-dairy-tech", state=Registration.State.APPLYING, staff=26, inventions=1, utility=4,
                      when=later(self.now - datetime.timedelta(days=2), rnd, 0, 1))
        self.register("wuhai-chem", state=Registration.State.RETURNED, when=self.now - datetime.timedelta(days=40),
                      return_reason="参保证明与营业执照主体不一致，请补充近三个月的社保缴纳证明后重新提交。")
        self.register("ordos-cancelled", when=office_time(CENTRE_OPENED + datetime.timedelta(days=60), rnd))

    # -- bulk cases --------------------------------------------------------------------------------
    def event(self, ct, object_id, action, label, actor, when, from_state="", to_state="", comment="", data=None):
        """A backdated event with the audience its registered code gives it (the seed writes these
        rows in bulk; ``record_event`` decides the same things for live events)."""
        from ipcenter.workflow.actions import get_action

        return TimelineEvent(content_type=ct, object_id=object_id, action=action, label=label, actor=actor,
                             actor_name=str(actor) if actor else "", audience=get_action(action).audience,
                             from_state=from_state, to_state=to_state, comment=comment, data=data or {},
                             created_at=when)

    def save_events(self, events):
        with keep_timestamps((TimelineEvent, "created_at")):
            TimelineEvent.objects.bulk_create(events)

    def plan(self, org_key, target, *, start=None, end=None, corrections=0, outcome=None, filed=True,
             agency=None, draft_opinion=False, termination="withdraw", days_to_grant=None):
        """A bulk case: a list of (step, moment) from submission to ``target``.  Concluded cases
        run forward from ``start``; open ones are placed so their last step is at ``end``."""
        rnd = self.rnd
        steps = ["submit"]
        if target == S.REFUSED:
            steps.append("refuse")
        elif target != S.SUBMITTED and target != S.DRAFT:
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
        gaps = {"submit": (0, 0), "refuse": (0.3, 2), "accept": (0.2, 1.5), "withdraw": (1, 4), "claim": (0.05, 1.5),
                "issue_nc": (2, 5), "correct": (1, 4), "timeout": (7, 8), "qualify": (1.5, 5), "disqualify": (2, 5),
                "cnipa_filed": (1, 7), "cnipa_outcome": (25, 45)}
        if target == S.DRAFT:
            steps = []
        offsets, total = [], 0.0
        for step in steps:
            total += rnd.uniform(*gaps[step])
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
        if moments and moments[-1] > self.now:  # never in the future
            shift = moments[-1] - self.now + datetime.timedelta(hours=rnd.uniform(1, 24))
            moments = [m - shift for m in moments]
        org = self.orgs[org_key]
        created = (moments[0] if moments else end or self.now) - datetime.timedelta(days=rnd.uniform(0.2, 6))
        spec = {"org": org, "key": org_key, "target": target, "steps": list(zip(steps, moments)),
                "created": created, "outcome": outcome, "agency": agency, "draft_opinion": draft_opinion,
                "termination": termination}
        self.specs.append(spec)
        return spec

    def build_cases(self):
        """Create the planned cases with their opinions, defect items, timeline, clocks and documents."""
        rnd = self.rnd
        cases, per_case = [], []
        for spec in self.specs:
            org = spec["org"]
            field = self.field_of(org)
            title, topic, short = self.title_for(org, self.pool_for(org))
            filer = self.filers[spec["key"]]
            if spec["agency"] is not None:
                filer = self.users["agency"]
            steps = dict(spec["steps"])
            accepted = steps.get("accept")
            examiner = self.examiner_for(field, accepted) if "claim" in steps else None
            concluded = steps.get("qualify") or steps.get("disqualify")
            case = PreExamCase(
                organization=org, agency=spec["agency"], filed_by=filer, title=title, technical_field=field,
                ipc={"biology": "A23C 9/12", "new-materials": "C22C 1/02"}.get(field.code, ""),
                applicants=org.name, inventors=self.inventors(), state=spec["target"], examiner=examiner,
                created_at=spec["created"], submitted_at=steps.get("submit"), accepted_at=accepted,
                concluded_at=concluded,
                conclusion={S.QUALIFIED: "qualified", S.UNQUALIFIED: "unqualified"}.get(spec["target"], ""),
                correction_rounds=sum(1 for s, _ in spec["steps"] if s == "issue_nc"),
            )
            if topic[1] in ("乳制品", "植物基饮品", "乳品微生物"):
                case.ipc = "A23C 9/13"
            if spec["target"] == S.REFUSED:
                case.refuse_reason = rnd.choice([
                    "申请文件中的技术方案属于新能源领域，不在中心目前开展预审的技术领域内。",
                    "该申请为分案申请，不属于预审受理范围。",
                    "请求书中的申请人与备案主体不一致，请核实后重新提交。"])
            if spec["target"] == S.TERMINATED:
                case.termination_reason = ("申请人调整技术方案，主动撤回。" if spec["termination"] == "withdraw"
                                           else "补正期限届满未提交补正，案件终止。")
            if "cnipa_filed" in steps:
                case.cnipa_filed_on = timezone.localtime(steps["cnipa_filed"]).date()
                case.cnipa_application_number = self.cnipa_number(case.cnipa_filed_on)
            if "cnipa_outcome" in steps:
                case.cnipa_outcome = spec["outcome"]
                case.cnipa_outcome_date = timezone.localtime(steps["cnipa_outcome"]).date()
                if spec["outcome"] == PreExamCase.CnipaOutcome.REJECTION:
                    case.cnipa_reasons = "实审认为权利要求1相对于对比文件1与本领域公知常识的结合不具备创造性。"
                elif spec["outcome"] == PreExamCase.CnipaOutcome.DEEMED_WITHDRAWN:
                    case.cnipa_reasons = "申请人未在规定期限内答复审查意见通知书。"
            cases.append(case)
            per_case.append((spec, filer, examiner, title, topic, short))
        with keep_timestamps((PreExamCase, "created_at")):
            PreExamCase.objects.bulk_create(cases, batch_size=500)

        events, opinions, opinion_items, deadlines, attachments = [], [], [], [], []
        for case, (spec, filer, examiner, title, topic, short) in zip(cases, per_case):
            def ev(*args, case=case, **kwargs):
                events.append(self.event(self.ct_case, case.pk, *args, **kwargs))

            state = "draft"
            round_no = 0
            for step, at in spec["steps"]:
                if step == "submit":
                    ev("prescreen.preexamcase.submit", "提交预审", filer, at, state, "submitted")
                    state = "submitted"
                elif step == "refuse":
                    ev("prescreen.preexamcase.refuse", "不予受理", self.manager, at, state, "refused",
                       comment=case.refuse_reason)
                elif step == "accept":
                    ev("prescreen.preexamcase.accept", "受理", self.manager, at, state, "accepted")
                    state = "accepted"
                elif step == "withdraw":
                    ev("prescreen.preexamcase.withdraw", "撤回", filer, at, state, "terminated",
                       comment=case.termination_reason)
                elif step == "claim":
                    ev("prescreen.preexamcase.start", "开始预审", examiner, at, state, "examining")
                    ev("prescreen.preexamcase.claimed", "领取案件", examiner, at,
                       data={"examiner": examiner.get_full_name() or examiner.username})
                    state = "examining"
                elif step in ("issue_nc", "qualify", "disqualify"):
                    round_no += 1
                    conclusion = {"issue_nc": Opinion.Conclusion.NEEDS_CORRECTION, "qualify":
                                  Opinion.Conclusion.QUALIFIED, "disqualify": Opinion.Conclusion.UNQUALIFIED}[step]
                    reasons = ""
                    if step == "disqualify":
                        reasons = rnd.choice([
                            "对比文件1公开了权利要求1的全部技术特征，补正后仍不具备新颖性，预审不合格。",
                            "说明书未公开关键工艺参数，本领域技术人员无法实现，预审不合格。"])
                    opinion = Opinion(case=case, author=examiner, round=round_no, state=Opinion.State.ISSUED,
                                      conclusion=conclusion, reasons=reasons,
                                      created_at=at - datetime.timedelta(hours=rnd.uniform(3, 30)),
                                      submitted_at=at - datetime.timedelta(minutes=rnd.randint(5, 90)), issued_at=at)
                    opinions.append(opinion)
                    if step == "issue_nc":
                        opinion_items.append((opinion, rnd.sample(DEFECT_TEXTS, rnd.randint(1, 3))))
                    ev("prescreen.opinion.submitted", f"提交预审意见（第 {round_no} 轮）", examiner,
                       opinion.submitted_at, data={"params": {"n": str(round_no)}})
                    name, label, target = {"issue_nc": ("request_correction", "发出补正通知", "needs_correction"),
                                           "qualify": ("qualify", "预审合格", "qualified"),
                                           "disqualify": ("disqualify", "预审不合格", "unqualified")}[step]
                    ev(f"prescreen.preexamcase.{name}", label, examiner, at, state, target)
                    state = target
                elif step == "correct":
                    ev("prescreen.preexamcase.correct", "提交补正", filer, at, state, "examining",
                       comment="已按预审意见修改权利要求书。")
                    state = "examining"
                elif step == "timeout":
                    ev("prescreen.preexamcase.terminate", "终止", None, at, state, "terminated",
                       comment=case.termination_reason)
                    state = "terminated"
                elif step == "cnipa_filed":
                    ev("prescreen.preexamcase.cnipa_filed", "登记正式申请号", filer, at,
                       data={"application_number": case.cnipa_application_number,
                             "filed_on": case.cnipa_filed_on.isoformat()})
                elif step == "cnipa_outcome":
                    ev("prescreen.preexamcase.cnipa_outcome", f"登记实审结果：{case.get_cnipa_outcome_display()}", filer,
                       at, comment=case.cnipa_reasons, data={"params": {"o": case.get_cnipa_outcome_display()}})
            if spec["draft_opinion"] and case.state == S.EXAMINING:
                opinion = Opinion(case=case, author=examiner, round=round_no + 1, state=Opinion.State.DRAFT,
                                  created_at=self.now - datetime.timedelta(hours=rnd.uniform(1, 20)))
                opinions.append(opinion)
                opinion_items.append((opinion, rnd.sample(DEFECT_TEXTS, 1)))
            deadlines += self.open_clocks(case, spec, examiner)
            attachments += self.case_documents(case, filer, title, topic, short)
        self.save_events(events)
        with keep_timestamps((Opinion, "created_at")):
            Opinion.objects.bulk_create(opinions, batch_size=500)
        items = []
        for opinion, texts in opinion_items:
            for order, (code, location, text, suggestion) in enumerate(texts, 1):
                items.append(DefectItem(opinion=opinion, defect_type=self.defects[code], location=location,
                                        text=text, suggestion=suggestion, order=order))
        DefectItem.objects.bulk_create(items, batch_size=500)
        with keep_timestamps((Deadline, "created_at")):
            Deadline.objects.bulk_create(deadlines, batch_size=500)
        with keep_timestamps((Attachment, "uploaded_at")):
            Attachment.objects.bulk_create(attachments, batch_size=500)
        return cases

    def open_clocks(self, case, spec, examiner):
        """The pending clocks of an open case (turnaround, correction, CNIPA filing)."""
        steps = spec["steps"]
        last = dict(steps)
        result = []

        def clock_(kind, label, rule, amount, start, **who):
            due = compute_due(start, rule, amount)
            state = Deadline.State.OVERDUE if due < self.now else Deadline.State.OPEN
            result.append(Deadline(content_type=self.ct_case, object_id=case.pk, kind=kind, label=label, rule=rule,
                                   amount=amount, starts_at=start, due_at=due, state=state, created_at=start,
                                   url=case.get_absolute_url(), **who))

        if case.state in (S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION):
            clock_(services.TURNAROUND, "预审办结", Deadline.Rule.WORKING_DAYS, self.cfg.turnaround_working_days,
                   last["accept"], assignee=examiner)
        if case.state == S.NEEDS_CORRECTION:
            issued = [at for step, at in steps if step == "issue_nc"][-1]
            clock_(services.CORRECTION, "提交补正", Deadline.Rule.WORKING_DAYS, self.cfg.correction_working_days,
                   issued, organization=case.organization)
        if case.state == S.QUALIFIED and not case.cnipa_application_number:
            clock_(services.CNIPA_FILING, "向国家知识产权局正式递交", Deadline.Rule.CALENDAR_DAYS,
                   self.cfg.cnipa_filing_days, last["qualify"], organization=case.organization)
        return result

    def case_documents(self, case, filer, title, topic, short):
        """Attachment rows of the five documents; identical files are stored once and shared."""
        docs = dict(self.documents(title, topic, short, pdf_claims=self.pdf_claims(case)))
        docs["request"] = self.request_doc(title, case.organization, case.inventors)
        rows = []
        for role in ("request", "description", "claims", "abstract", "drawings"):
            name, data = docs[role]
            digest = hashlib.sha256(data).hexdigest()
            if digest not in self.stored:
                self.stored[digest] = private_storage.save(random_path(None, name), ContentFile(data))
            rows.append(Attachment(content_type=self.ct_case, object_id=case.pk, purpose="prescreen.document",
                                   label=role, file=self.stored[digest], original_name=name,
                                   mime_type=("application/pdf" if name.endswith(".pdf") else DOCX_MIME),
                                   size=len(data), sha256=digest, uploaded_by=filer, uploaded_at=case.created_at))
        return rows

    def pdf_claims(self, case):
        """Claims as PDF for the dairy company and the most recent cases, DOCX for the rest
        (keeps the seed fast: a CJK PDF takes ~0.1 s to render, a DOCX a few ms)."""
        return case.organization_id == self.orgs["dairy"].pk or case.created_at > self.now - datetime.timedelta(
            days=60)


    # -- plans -------------------------------------------------------------------------------------
    def plan_dairy(self):
        """The article's dairy company: 37 cases through the channel, 36 granted, 1 rejected, about
        1.5 months from acceptance to grant; some filed by its agency.  Its open cases come from
        the services (``service_cases``)."""
        rnd = self.rnd
        first = datetime.date(2022, 10, 20)
        span = (datetime.date(2026, 8, 1) - first).days
        days = [min(62, max(31, rnd.gauss(DAIRY_DAYS_TO_GRANT, 7))) for _ in range(DAIRY_GRANTS)]
        shift = sum(days) / len(days) - DAIRY_DAYS_TO_GRANT
        days = [d - shift for d in days]
        rejected = rnd.randrange(5, DAIRY_CASES - 5)
        grants = iter(days)
        for i in range(DAIRY_CASES):
            day = first + datetime.timedelta(days=int(span * i / DAIRY_CASES) + rnd.randint(0, 20))
            agency = self.orgs["agency"] if i % 5 == 2 else None
            if i == rejected:
                self.plan("dairy", S.QUALIFIED, start=office_time(day, rnd), corrections=1, agency=agency,
                          outcome=PreExamCase.CnipaOutcome.REJECTION)
            else:
                self.plan("dairy", S.QUALIFIED, start=office_time(day, rnd), corrections=int(rnd.random() < 0.35),
                          agency=agency, outcome=PreExamCase.CnipaOutcome.GRANT, days_to_grant=next(grants))

    def plan_bulk(self):
        """History and open work of the other registered entities."""
        rnd = self.rnd
        now = self.now
        for key, count in REGISTERED.items():
            registered = Registration.objects.get(organization=self.orgs[key]).decided_at
            window = (now - datetime.timedelta(days=75) - registered).days
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

        def ago(low, high):
            return now - datetime.timedelta(days=rnd.uniform(low, high))

        ag = self.orgs["agency"]
        # the examiners' queues: accepted, unclaimed (one past its 7-working-day turnaround)
        for key, agency in [("chifeng-bio", None), ("hohhot-pharma", None), ("alxa-desert", None),
                            ("bayannur-bio", None), ("tongliao-ferment", None), ("bio-hulunbuir", ag)]:
            self.plan(key, S.ACCEPTED, end=ago(0.1, 4), agency=agency)
        self.plan("chifeng-vet", S.ACCEPTED, end=ago(11, 12))
        for key in ("ordos-coal", "baotou-magnet", "tongliao-mat", "wuhai-pvc"):
            self.plan(key, S.ACCEPTED, end=ago(0.1, 4))
        for key in ("ulanqab-graphite", "baotou-alloy", "hinggan-agri"):  # awaiting acceptance
            self.plan(key, S.SUBMITTED, end=ago(0.1, 2))
        self.plan("ulanqab-potato", S.EXAMINING, end=ago(1, 3), draft_opinion=True)
        self.plan("hohhot-pharma", S.EXAMINING, end=ago(0.5, 2), corrections=1, draft_opinion=True)
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
        """bayannur-risk: 8 cases concluded 3–9 months ago, 5 of them 预审不合格 (suspended, see
        ``risk_actions``); ordos-cancelled: 8 of 10 failed in 2023–24 (cancelled)."""
        rnd = self.rnd
        for i in range(3):
            self.plan("bayannur-risk", S.QUALIFIED, start=office_time(datetime.date(2023, 4, 10)
                                                                   + datetime.timedelta(days=70 * i), rnd),
                      outcome=PreExamCase.CnipaOutcome.GRANT)
        for i, target in enumerate([S.UNQUALIFIED, S.QUALIFIED, S.UNQUALIFIED, S.UNQUALIFIED, S.QUALIFIED,
                                    S.UNQUALIFIED, S.QUALIFIED, S.UNQUALIFIED]):
            start = office_time((self.now - datetime.timedelta(days=280 - 22 * i)).date(), rnd)
            self.plan("bayannur-risk", target, start=start, outcome=PreExamCase.CnipaOutcome.GRANT,
                      corrections=1 if target == S.UNQUALIFIED else 0)
        for i in range(10):
            target = S.QUALIFIED if i in (2, 7) else S.UNQUALIFIED
            self.plan("ordos-cancelled", target, start=office_time(datetime.date(2023, 5, 8)
                                                                     + datetime.timedelta(days=27 * i), rnd),
                      outcome=PreExamCase.CnipaOutcome.REJECTION)

    # -- through the services ----------------------------------------------------------------------
    def service_registrations(self):
        """The two demo companies apply and are approved, back when the centre opened."""
        rnd = self.rnd
        for key, user, fields, day in [("dairy", self.users["applicant"], ["biology"], datetime.date(2022, 10, 8)),
                                       ("rare-earth", self.users["applicant2"], ["new-materials"],
                                        datetime.date(2022, 11, 14))]:
            applied = office_time(day, rnd)
            with clock(applied):
                reg = services.apply_registration(
                    user, technical_fields=[self.fields[c] for c in fields],
                    established_on=datetime.date(1999 if key == "dairy" else 2012, 8, 18),
                    insured_staff=8600 if key == "dairy" else 210, invention_patents=120 if key == "dairy" else 14,
                    utility_design_patents=340 if key == "dairy" else 36, contact_name=user.display_name,
                    contact_phone="0471-5180000" if key == "dairy" else "0472-5120000")
            with clock(later(applied, rnd, 1, 3)):
                services.approve_registration(reg, self.manager)

    def new_draft(self, key, filer, at, agency=None):
        org = self.orgs[key]
        title, topic, short = self.title_for(org, self.pool_for(org))
        with clock(at):
            case = PreExamCase.objects.create(
                organization=org, agency=agency, filed_by=filer, title=title, technical_field=self.field_of(org),
                ipc="A23C 9/13" if key == "dairy" else "C22C 1/02", applicants=org.name, inventors=self.inventors())
            docs = dict(self.documents(title, topic, short))
            docs["request"] = self.request_doc(title, org, case.inventors)
            for role in ("request", "description", "claims", "abstract", "drawings"):
                name, data = docs[role]
                store_upload(SimpleUploadedFile(name, data), "prescreen.document", filer, owner=case, label=role)
        case.seed_topic = (title, topic, short)
        return case

    def service_cases(self):
        """A handful of cases driven through the services at simulated times (real timelines)."""
        u = self.users
        manager, applicant, agency_user = self.manager, u["applicant"], u["agency"]
        now = self.now

        def at(days, hour=None):
            moment = now - datetime.timedelta(days=days)
            local = timezone.localtime(moment)
            if local.weekday() >= 5 or not 9 <= local.hour < 17:
                moment = office_time(local.date(), self.rnd)
                if moment > now:
                    moment = now - datetime.timedelta(hours=1)
            return moment

        def submit(case, user, when):
            with clock(when):
                return services.submit_case(case, user)

        def accept(case, when):
            with clock(when):
                return services.accept_case(case, manager)

        def assign(case, examiner, when):
            with clock(when):
                services.assign_case(case, examiner, manager)
            case.refresh_from_db()

        def opinion(case, examiner, when, conclusion, items=2, reasons=""):
            with clock(when - datetime.timedelta(hours=5)):
                op = services.start_opinion(case, examiner)
                for code, location, text, suggestion in self.rnd.sample(DEFECT_TEXTS, items):
                    services.add_defect_item(op, examiner, defect_type=self.defects[code], location=location,
                                             text=text, suggestion=suggestion)
            if conclusion:
                with clock(when - datetime.timedelta(hours=3)):
                    services.submit_opinion(op, examiner, conclusion=conclusion, reasons=reasons)
                with clock(when):
                    peer_pass(op)
            case.refresh_from_db()
            return op

        def peer_pass(op):
            """When the quality app holds the opinion for its 互检, a colleague passes it."""
            op.refresh_from_db()
            if op.state != Opinion.State.SUBMITTED:
                return
            from prescreen.quality import services as quality
            from prescreen.quality.models import QualityCheck

            check = QualityCheck.objects.filter(opinion=op, level="peer", state=QualityCheck.State.OPEN).first()
            if check is None:
                return
            if check.reviewer_id is None:
                check = quality.take_peer_check(check, quality.peer_candidates(op).first())
            quality.complete_check(check, check.reviewer, outcome=QualityCheck.Outcome.PASS)

        dairy = "dairy"
        # 草稿: documents uploaded, not yet submitted (the demo applicant can submit it)
        self.new_draft(dairy, applicant, at(1))
        # 已提交: waiting for the manager
        submit(self.new_draft(dairy, applicant, at(3)), applicant, at(0.3))
        # 已受理: in the demo examiner's queue
        case = submit(self.new_draft(dairy, applicant, at(6)), applicant, at(5))
        accept(case, at(4))
        # 预审中 with a draft opinion of the demo examiner
        case = submit(self.new_draft(dairy, applicant, at(9)), applicant, at(8))
        accept(case, at(7))
        assign(case, u["examiner"], at(6))
        opinion(case, u["examiner"], at(1), None)
        # 需补正: an issued opinion with defect items, the correction clock running
        case = submit(self.new_draft(dairy, applicant, at(12)), applicant, at(11))
        accept(case, at(10))
        assign(case, u["examiner"], at(10))
        opinion(case, u["examiner"], at(2), Opinion.Conclusion.NEEDS_CORRECTION)
        # 预审合格 three days ago: the applicant now records the CNIPA number
        case = submit(self.new_draft(dairy, applicant, at(16)), applicant, at(15))
        accept(case, at(14))
        assign(case, u["examiner"], at(14))
        opinion(case, u["examiner"], at(3), Opinion.Conclusion.QUALIFIED, items=0)
        # the agency's full round trip: correction, 合格, CNIPA filing, grant
        key = "bio-hulunbuir"
        case = self.new_draft(key, agency_user, at(96), agency=self.orgs["agency"])
        title, topic, short = case.seed_topic
        submit(case, agency_user, at(95))
        accept(case, at(94))
        assign(case, u["examiner2"], at(93))
        opinion(case, u["examiner2"], at(89), Opinion.Conclusion.NEEDS_CORRECTION, items=1)
        _, claims, _ = document_texts(title, topic, short)
        with clock(at(86)):
            services.submit_correction(case, agency_user, {"claims": SimpleUploadedFile(
                "权利要求书（修改）.pdf", pdf_bytes(claims[:3] + [claims[3].replace("步骤S3得到的", "经步骤S3得到的")]))},
                note="已按意见修改权利要求。")
        opinion(case, u["examiner2"], at(84), Opinion.Conclusion.QUALIFIED, items=0)
        filed = at(80)
        with clock(filed):
            services.record_cnipa_filing(case, agency_user, application_number=self.cnipa_number(filed.date()),
                                         filed_on=timezone.localtime(filed).date())
        case.refresh_from_db()
        granted = at(44)
        with clock(granted):
            services.record_cnipa_outcome(case, agency_user, outcome=PreExamCase.CnipaOutcome.GRANT,
                                          outcome_date=timezone.localtime(granted).date())
        # rare-earth (demo applicant2): refused, 预审不合格, withdrawn
        applicant2 = u["applicant2"]
        case = submit(self.new_draft("rare-earth", applicant2, at(31)), applicant2, at(30))
        with clock(at(29)):
            services.refuse_case(case, manager, "申请文件中的技术方案属于新能源领域，不在中心目前开展预审的技术领域内。")
        case = submit(self.new_draft("rare-earth", applicant2, at(41)), applicant2, at(40))
        accept(case, at(39))
        assign(case, u["examiner3"], at(38))
        opinion(case, u["examiner3"], at(33), Opinion.Conclusion.UNQUALIFIED, items=1,
                reasons="对比文件1公开了权利要求1的全部技术特征，权利要求2、3的附加技术特征属于本领域常规选择，预审不合格。")
        case = submit(self.new_draft("rare-earth", applicant2, at(21)), applicant2, at(20))
        accept(case, at(19))
        with clock(at(17)):
            services.withdraw_case(case, applicant2, "企业调整研发方向，主动撤回本申请。")

    def risk_actions(self):
        """The suspension and the cancellation, by the services, with the figures of their day."""
        reg = Registration.objects.get(organization=self.orgs["bayannur-risk"])
        day = self.now - datetime.timedelta(days=50)
        with clock(office_time(day.date(), self.rnd)):
            failed, total = services.failure_figures(reg.organization)
            note = f"近12个月办结 {total} 件，不合格 {failed} 件，不合格率 {failed / total * 100:.0f}%，超过暂停阈值 50%。"
            services.suspend_registration(reg, self.manager, reason=note,
                                          until=timezone.localdate() + datetime.timedelta(days=183))
        reg = Registration.objects.get(organization=self.orgs["ordos-cancelled"])
        with clock(office_time(datetime.date(2024, 5, 13), self.rnd)):
            failed, total = services.failure_figures(reg.organization)
            note = f"近12个月办结 {total} 件，不合格 {failed} 件，不合格率 {failed / total * 100:.0f}%，超过取消阈值 70%。"
            services.cancel_registration(reg, self.manager, note)

    def renumber(self):
        """预审编号 YSyyyynnnnn in order of acceptance (bulk and service cases interleave)."""
        accepted = list(PreExamCase.objects.exclude(accepted_at=None).order_by("accepted_at", "pk"))
        PreExamCase.objects.exclude(accepted_at=None).update(number=None)
        seq = {}
        for case in accepted:
            year = timezone.localtime(case.accepted_at).year
            seq[year] = seq.get(year, 0) + 1
            case.number = f"YS{year}{seq[year]:05d}"
        PreExamCase.objects.bulk_update(accepted, ["number"], batch_size=500)

    def run(self):
        import time

        began = time.monotonic()
        rnd = self.rnd
        self.dairy_pool = titles(DAIRY_TOPICS, DAIRY_FORMS)
        self.bio_pool = titles(BIO_TOPICS, BIO_FORMS)
        rnd.shuffle(self.bio_pool)
        self.material_pool = titles(MATERIAL_TOPICS, MATERIAL_FORMS)
        rnd.shuffle(self.material_pool)
        self.drawings = drawings_pdf_bytes(DRAWING_LABELS)
        self.organisations()
        self.service_registrations()
        self.registrations()
        self.plan_dairy()
        self.plan_bulk()
        self.plan_risk_cases()
        bulk = self.build_cases()
        self.service_cases()
        self.risk_actions()
        self.renumber()
        self.ctx["stdout"].write(
            f"prescreen: {Registration.objects.count()} registrations, {PreExamCase.objects.count()} cases "
            f"({len(bulk)} created directly), {Opinion.objects.count()} opinions in {time.monotonic() - began:.1f} s\n")


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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




def seed(ctx):
    if Registration.objects.exists() or PreExamCase.objects.exists():
        ctx["stdout"].write("prescreen: data already present; skipping\n")
        return
    Seeder(ctx).run()

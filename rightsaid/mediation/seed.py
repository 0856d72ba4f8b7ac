"""Demo disputes of people's mediation in several states: registered, awaiting consent, in
mediation with a session and an extended term, an agreement (PDF + verification link, the
demo dairy company as applicant), a recorded judicial confirmation, a failure with referral,
and a workstation's dispute at Baotou; the full volume adds a year of concluded disputes.
Every step through the services, at its own time (``ipcenter.demo.Schedule``)."""
import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.accounts.models import Station
from ipcenter.demo import SMALL, Schedule, volume

from . import services
from .models import Dispute, Party

CONSENT_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
               b"\x00\x00\x00\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb4\x00\x00\x00\x00IEND\xaeB`\x82")

# subject, ip type, applicant, respondent, target state, registering user, station code
DISPUTES = [
    ("奶制品外包装外观设计专利纠纷", "patent", "内蒙古蒙乳乳业股份有限公司", "呼和浩特市回民区某食品商行", "registered",
     "mediator", "mediation"),
    ("稀土永磁电机专利许可费纠纷", "patent", "包头特种合金材料有限公司", "包头市某电机制造有限公司", "awaiting",
     "station", "baotou"),
    ("“草原牧歌”商标使用纠纷", "trademark", "锡林郭勒草原牧歌肉业有限公司", "锡林浩特市某餐饮店", "mediation",
     "mediator", "mediation"),
    ("“蒙乳”商标近似标识纠纷", "trademark", "内蒙古蒙乳乳业股份有限公司", "赛罕区某乳品经营部", "agreement",
     "mediator", "mediation"),
    ("羊绒制品图案著作权纠纷", "copyright", "鄂尔多斯某羊绒服饰有限公司", "东胜区某服装店", "confirmed",
     "mediator", "mediation"),
    ("马铃薯种薯品种权纠纷", "other", "乌兰察布某种业有限公司", "察右前旗某农资经销部", "failed",
     "mediator", "mediation"),
]

DECLARATION = "本人与各方当事人及其代理人无亲属、雇佣、投资或其他利害关系。"
TERMS = ("一、被申请人自本协议签订之日起停止销售涉案商品。\n"
         "二、被申请人于十五日内一次性赔偿申请人人民币二万元。\n"
         "三、双方就本纠纷再无其他争议。")


# the full volume's year of concluded disputes: subject, ip type, applicant, respondent
HISTORY = [
    ("乳制品包装装潢纠纷", "trademark", "呼和浩特某乳品有限公司", "某食品商行"),
    ("羊绒衫图案著作权纠纷", "copyright", "鄂尔多斯某羊绒集团有限公司", "某服装店"),
    ("稀土抛光粉专利侵权纠纷", "patent", "包头某稀土材料有限公司", "某磨料经销部"),
    ("牛肉干商标使用纠纷", "trademark", "锡林郭勒某肉业有限公司", "某特产商店"),
    ("马铃薯淀粉设备外观设计纠纷", "patent", "乌兰察布某机械有限公司", "某农机经销部"),
    ("蒙古族服饰图案著作权纠纷", "copyright", "呼和浩特某服饰有限公司", "某民族用品店"),
    ("奶茶粉商标近似纠纷", "trademark", "内蒙古某乳业有限公司", "某网店"),
    ("风电叶片专利许可费纠纷", "patent", "包头某风电设备有限公司", "某能源科技有限公司"),
]


def _consent(party, user):
    services.record_consent(party, user, document=SimpleUploadedFile(f"同意调解书-{party.name}.png", CONSENT_PNG))


def _parties(applicant, respondent, dairy):
    applicant_party = {"role": Party.Role.APPLICANT, "name": applicant}
    if dairy is not None and applicant == dairy.name:
        applicant_party["id_number"] = dairy.uscc  # linked: the company's users are reminded too
    return [applicant_party, {"role": Party.Role.RESPONDENT, "name": respondent, "contact": "0471-6000000"}]


def _plan(schedule, rnd, *, registrar, mediator, station, subject, ip_type, applicant, respondent, target, start,
          dairy=None):
    """A dispute registered at ``start`` and taken through the services to ``target``, each
    step a few days after the last (never after now)."""
    now = timezone.now()
    steps = ["create"]
    if target != "registered":
        steps.append("consent_applicant")
    if target not in ("registered", "awaiting"):
        steps += ["consent_respondent", "assign", "start", "session"]
        if target == "mediation":
            steps += ["session_2", "extend"]
        elif target in ("agreement", "confirmed"):
            steps.append("agreement")
            if target == "confirmed":
                steps.append("confirmation")
        elif target == "failed":
            steps.append("fail")
    gaps = {"create": 0, "consent_applicant": 1, "consent_respondent": 2, "assign": 1, "start": 1, "session": 5,
            "session_2": 6, "extend": 1, "agreement": 8, "confirmation": 15, "fail": 10}
    moments, at = [], start
    for step in steps:
        at = at + datetime.timedelta(days=gaps[step] * rnd.uniform(0.6, 1.4), hours=rnd.uniform(0, 3))
        moments.append(at)
    if moments[-1] >= now:
        shift = moments[-1] - now + datetime.timedelta(minutes=rnd.randint(30, 300))
        moments = [m - shift for m in moments]
    state = {}

    def run(step):
        today = timezone.localdate()
        d = state.get("dispute")
        if d is not None:
            d.refresh_from_db()
        if step == "create":
            state["dispute"] = services.create_dispute(
                registrar, subject=subject, ip_type=ip_type, station=station,
                description=f"{applicant}认为{respondent}侵犯其权利，双方同意先行人民调解。",
                parties=_parties(applicant, respondent, dairy))
        elif step == "consent_applicant":
            _consent(d.parties.order_by("pk")[0], registrar)
        elif step == "consent_respondent":
            _consent(d.parties.order_by("pk")[1], mediator)
        elif step == "assign":
            services.assign_mediator(d, mediator, mediator, declaration=DECLARATION, confirmed=True)
        elif step == "start":
            services.start_mediation(d, mediator)
        elif step == "session":
            services.log_session(d, mediator, held_on=today, mode="onsite", place="知识产权纠纷人民调解工作站调解室",
                                 attendees=f"{applicant}代表、{respondent}负责人",
                                 notes="双方陈述意见，调解员释明相关法律规定。")
        elif step == "session_2":
            services.log_session(d, mediator, held_on=today, mode="online", place="线上调解室",
                                 attendees="双方代理人", notes="双方对赔偿数额仍有分歧，约定补充销售数据后再议。")
        elif step == "extend":
            services.extend_term(d, mediator, reason="双方需要补充销售数据，申请延长调解期限。",
                                 new_due_date=d.due_date + datetime.timedelta(days=15))
        elif step == "agreement":
            services.reach_agreement(d, mediator, signed_on=today, terms=TERMS)
        elif step == "confirmation":
            signed = d.agreement.signed_on
            services.record_confirmation(d, mediator, applied_on=signed + datetime.timedelta(days=3),
                                         court="鄂尔多斯市中级人民法院", result="confirmed", decided_on=today,
                                         note="裁定调解协议有效。")
        elif step == "fail":
            services.fail_mediation(d, mediator, referral="court", note="双方对赔偿数额分歧较大，建议申请人向人民法院起诉。")

    for step, moment in zip(steps, moments):
        schedule.at(moment, run, step)


def seed(ctx):
    users = ctx["users"]
    mediator = users.get("mediator")
    if mediator is None or Dispute.objects.exists():
        return
    rnd = random.Random(9)
    schedule = Schedule(until=timezone.now())
    dairy = ctx["orgs"].get("dairy")
    now = timezone.now()
    for i, (subject, ip_type, applicant, respondent, target, registrar, station_code) in enumerate(DISPUTES):
        recent = {"registered": 1, "awaiting": 3, "mediation": 30, "agreement": 20, "confirmed": 40, "failed": 25}
        _plan(schedule, rnd, registrar=users.get(registrar) or mediator, mediator=mediator,
              station=Station.objects.get(code=station_code), subject=subject, ip_type=ip_type, applicant=applicant,
              respondent=respondent, target=target, start=now - datetime.timedelta(days=recent[target]), dairy=dairy)
    if volume(ctx) != SMALL:
        # a year of concluded disputes: most settle with a confirmed agreement, some fail
        station = Station.objects.get(code="mediation")
        for i in range(24):
            subject, ip_type, applicant, respondent = HISTORY[i % len(HISTORY)]
            _plan(schedule, rnd, registrar=mediator, mediator=mediator, station=station,
                  subject=f"{subject}（{i // len(HISTORY) + 1}）", ip_type=ip_type, applicant=applicant,
                  respondent=respondent, target="failed" if i % 4 == 3 else "confirmed",
                  start=now - datetime.timedelta(days=380 - 13 * i))
    schedule.run()

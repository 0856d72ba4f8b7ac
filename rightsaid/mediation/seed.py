"""Demo disputes of people's mediation in several states: registered, awaiting consent, in
mediation with a session and an extended term, an agreement (PDF + verification link, the
demo dairy company as applicant), a recorded judicial confirmation, a failure with referral,
and a workstation's dispute at Baotou."""
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.accounts.models import Station

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


def _consent(party, user):
    services.record_consent(party, user, document=SimpleUploadedFile(f"同意调解书-{party.name}.png", CONSENT_PNG))


def seed(ctx):
    users = ctx["users"]
    mediator = users.get("mediator")
    if mediator is None or Dispute.objects.exists():
        return
    dairy = ctx["orgs"].get("dairy")
    today = timezone.localdate()
    for subject, ip_type, applicant, respondent, target, registrar, station_code in DISPUTES:
        registrar = users.get(registrar) or mediator
        station = Station.objects.get(code=station_code)
        applicant_party = {"role": Party.Role.APPLICANT, "name": applicant}
        if dairy is not None and applicant == dairy.name:
            applicant_party["id_number"] = dairy.uscc  # linked: the company's users are reminded too
        d = services.create_dispute(registrar, subject=subject, ip_type=ip_type, station=station,
                                    description=f"{applicant}认为{respondent}侵犯其权利，双方同意先行人民调解。",
                                    parties=[applicant_party, {"role": Party.Role.RESPONDENT, "name": respondent,
                                                               "contact": "0471-6000000"}])
        if target == "registered":
            continue
        parties = list(d.parties.all())
        _consent(parties[0], registrar)
        if target == "awaiting":
            continue
        _consent(parties[1], mediator)
        d.refresh_from_db()
        services.assign_mediator(d, mediator, mediator, declaration=DECLARATION, confirmed=True)
        d.refresh_from_db()
        d = services.start_mediation(d, mediator)
        services.log_session(d, mediator, held_on=today, mode="onsite", place="知识产权纠纷人民调解工作站调解室",
                             attendees=f"{applicant}代表、{respondent}负责人",
                             notes="双方陈述意见，调解员释明相关法律规定。")
        if target == "mediation":
            services.log_session(d, mediator, held_on=today, mode="online", place="线上调解室",
                                 attendees="双方代理人", notes="双方对赔偿数额仍有分歧，约定补充销售数据后再议。")
            services.extend_term(d, mediator, reason="双方需要补充销售数据，申请延长调解期限。",
                                 new_due_date=d.due_date + datetime.timedelta(days=15))
        elif target in ("agreement", "confirmed"):
            services.reach_agreement(d, mediator, signed_on=today, terms=TERMS)
            if target == "confirmed":
                d.refresh_from_db()
                services.record_confirmation(d, mediator, applied_on=today, court="鄂尔多斯市中级人民法院",
                                             result="confirmed", decided_on=today, note="裁定调解协议有效。")
        elif target == "failed":
            services.fail_mediation(d, mediator, referral="court", note="双方对赔偿数额分歧较大，建议申请人向人民法院起诉。")

"""Demo disputes of people's mediation in several states: registered, awaiting consent, in
mediation with a session, an agreement (PDF + verification link), a failure with referral."""
import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ipcenter.accounts.models import Station

from . import services
from .models import Party

CONSENT_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
               b"\x00\x00\x00\nIDATx\x9cc\xf8\x0f\x00\x01\x01\x01\x00\x18\xdd\x8d\xb4\x00\x00\x00\x00IEND\xaeB`\x82")

DISPUTES = [
    ("奶制品外包装外观设计纠纷", "design", "内蒙古蒙乳乳业股份有限公司", "呼和浩特市回民区某食品商行", "registered"),
    ("稀土永磁电机专利许可费纠纷", "patent", "包头特种合金材料有限公司", "包头市某电机制造有限公司", "awaiting"),
    ("“草原牧歌”商标使用纠纷", "trademark", "锡林郭勒草原牧歌肉业有限公司", "锡林浩特市某餐饮店", "mediation"),
    ("羊绒制品图案著作权纠纷", "copyright", "鄂尔多斯某羊绒服饰有限公司", "东胜区某服装店", "agreement"),
    ("马铃薯种薯品种权纠纷", "other", "乌兰察布某种业有限公司", "察右前旗某农资经销部", "failed"),
]


def _consent(party, user):
    services.record_consent(party, user, document=SimpleUploadedFile(f"同意调解书-{party.name}.png", CONSENT_PNG))


def seed(ctx):
    users = ctx["users"]
    mediator = users.get("mediator")
    if mediator is None:
        return
    station = Station.objects.filter(kind=Station.Kind.MEDIATION).order_by("path").first()
    today = timezone.localdate()
    for subject, ip_type, applicant, respondent, target in DISPUTES:
        d = services.create_dispute(mediator, subject=subject, ip_type=ip_type, station=station,
                                    description=f"{applicant}认为{respondent}侵犯其权利，双方同意先行人民调解。",
                                    parties=[{"role": Party.Role.APPLICANT, "name": applicant},
                                             {"role": Party.Role.RESPONDENT, "name": respondent}])
        if target == "registered":
            continue
        parties = list(d.parties.all())
        _consent(parties[0], mediator)
        if target == "awaiting":
            continue
        _consent(parties[1], mediator)
        d.refresh_from_db()
        services.assign_mediator(d, mediator, mediator, declaration="本人与各方当事人无亲属、雇佣、投资等利害关系。",
                                 confirmed=True)
        d.refresh_from_db()
        d = services.start_mediation(d, mediator)
        services.log_session(d, mediator, held_on=today - datetime.timedelta(days=2), mode="onsite",
                             place="知识产权纠纷人民调解工作站调解室", attendees=f"{applicant}代表、{respondent}负责人",
                             notes="双方陈述意见，调解员释明相关法律规定。")
        if target == "agreement":
            services.reach_agreement(d, mediator, signed_on=today,
                                     terms="一、被申请人自本协议签订之日起停止销售涉案商品。\n"
                                           "二、被申请人于十五日内一次性赔偿申请人人民币二万元。\n"
                                           "三、双方就本纠纷再无其他争议。")
        elif target == "failed":
            services.fail_mediation(d, mediator, referral="court", note="双方对赔偿数额分歧较大，建议申请人向人民法院起诉。")

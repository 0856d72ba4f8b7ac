"""Rights assistance (维权援助): consultations, assistance cases (incl. complaints,
enforcement support, overseas guidance), referrals, exhibitions and on-site complaints."""
import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts.rules import is_centre_manager, is_mediator, is_station_staff
from ipcenter.querysets import ScopedQuerySet
from ipcenter.singleton import SingletonSettings
from ipcenter.workflow.engine import Transition, Workflow
from ipcenter.workflow.models import Audience

is_case_worker = is_station_staff | is_mediator | is_centre_manager


class RightsaidSettings(SingletonSettings):
    """Configurable clocks of rights assistance (one row).

    Defaults: review 5 working days; referral feedback 90 calendar days;
    exhibition answer 24 hours; complaint (12330) clock 15 working days."""

    review_working_days = models.PositiveSmallIntegerField(_("受理审查期限（工作日）"), default=5,
                                                           validators=[MinValueValidator(1)])
    referral_feedback_days = models.PositiveSmallIntegerField(_("移交反馈期限（自然日）"), default=90,
                                                              validators=[MinValueValidator(1)])
    exhibition_answer_hours = models.PositiveSmallIntegerField(_("展会被投诉方答辩期限（小时）"), default=24,
                                                               validators=[MinValueValidator(1)])
    complaint_working_days = models.PositiveSmallIntegerField(_("举报投诉办理期限（工作日）"), default=15,
                                                              validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("维权援助设置")
        verbose_name_plural = _("维权援助设置")



class IPType(models.TextChoices):
    PATENT = "patent", _("专利")
    TRADEMARK = "trademark", _("商标")
    COPYRIGHT = "copyright", _("著作权")
    TRADE_SECRET = "trade_secret", _("商业秘密")
    GEO = "geo", _("地理标志")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    HOTLINE = "12330", _("12330热线")
    WALK_IN = "walk_in", _("来访")
    PHONE = "phone", _("电话")
    ONLINE = "online", _("网上")
    REFERRAL = "referral", _("转办")


class StationScopedQuerySet(ScopedQuerySet):
    """Rights assistance belongs to the station staff and mediators of the station subtree and
    to centre managers (``StationScope``); a company sees its own requests; other centre
    users see nothing."""

    org_field = "requester_org"
    station_field = "station"

    def scope(self, user):
        q = user.station_scope.q(self.station_field)
        if user.organization_id and self.org_field:
            q |= Q(**{f"{self.org_field}_id": user.organization_id})
        return self.filter(q)


class ConsultationQuerySet(StationScopedQuerySet):
    pass


class Consultation(models.Model):
    """One request for advice (咨询), logged quickly by station staff."""

    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.HOTLINE)
    topic = models.CharField(_("主题"), max_length=200)
    ip_type = models.CharField(_("知识产权类型"), max_length=16, choices=IPType.choices, default=IPType.PATENT)
    requester_name = models.CharField(_("咨询人"), max_length=100)
    requester_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    requester_org = models.ForeignKey("accounts.Organization", verbose_name=_("咨询单位"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="rightsaid_consultations")
    requester_org_name = models.CharField(_("单位名称"), max_length=200, blank=True)
    question = models.TextField(_("问题"))
    answer = models.TextField(_("答复"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=10,
                                                        validators=[MinValueValidator(1)])
    station = models.ForeignKey("accounts.Station", verbose_name=_("工作站"), on_delete=models.PROTECT,
                                related_name="rightsaid_consultations")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接待人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, db_index=True)
    converted_case = models.OneToOneField("AssistanceCase", verbose_name=_("转为援助案件"), null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="source_consultation")

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("咨询")
        verbose_name_plural = _("咨询记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.topic}（{self.requester_name}）"

    def get_absolute_url(self):
        return reverse("rightsaid:consultation-detail", args=[self.pk])


class CaseQuerySet(StationScopedQuerySet):
    def scope(self, user):
        """As for every rights-assistance record, plus the cases the user asked for."""
        return super().scope(user) | self.filter(requester_user=user)


class AssistanceCase(models.Model):
    """A rights-assistance case: assistance, complaint, enforcement support or overseas guidance."""

    class Kind(models.TextChoices):
        ASSISTANCE = "assistance", _("维权援助")
        COMPLAINT = "complaint", _("举报投诉")
        ENFORCEMENT = "enforcement", _("执法协助")
        OVERSEAS = "overseas", _("海外维权指导")

    class CaseType(models.TextChoices):
        PATENT_INFRINGEMENT = "patent_infringement", _("专利侵权")
        COUNTERFEIT_PATENT = "counterfeit_patent", _("假冒专利")
        TRADEMARK_INFRINGEMENT = "trademark_infringement", _("商标侵权")
        COPYRIGHT = "copyright", _("著作权侵权")
        TRADE_SECRET = "trade_secret", _("商业秘密")
        OTHER = "other", _("其他")

    class State(models.TextChoices):
        INTAKE = "intake", _("已登记")
        UNDER_REVIEW = "under_review", _("审查中")
        ACCEPTED = "accepted", _("已受理")
        DECLINED = "declined", _("不予受理")
        HANDLING = "handling", _("办理中")
        REFERRED = "referred", _("已移交")
        CLOSED = "closed", _("已结案")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("维权成功")
        SETTLED = "settled", _("和解")
        PENALISED = "penalised", _("行政处罚")
        JUDGMENT = "judgment", _("司法判决")
        WITHDRAWN = "withdrawn", _("申请人撤回")
        UNRESOLVED = "unresolved", _("未解决")

    number = models.CharField(_("案件编号"), max_length=32, unique=True, blank=True)
    kind = models.CharField(_("案件类别"), max_length=16, choices=Kind.choices, default=Kind.ASSISTANCE)
    case_type = models.CharField(_("案件类型"), max_length=32, choices=CaseType.choices,
                                 default=CaseType.PATENT_INFRINGEMENT)
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices, default=Channel.ONLINE)
    title = models.CharField(_("案由"), max_length=200)
    description = models.TextField(_("情况说明"))
    respondent = models.CharField(_("被请求人/被投诉人"), max_length=200, blank=True)
    requester_org = models.ForeignKey("accounts.Organization", verbose_name=_("请求单位"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="rightsaid_cases")
    requester_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("请求人"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="rightsaid_requests")
    requester_name = models.CharField(_("请求人姓名"), max_length=100, blank=True)
    station = models.ForeignKey("accounts.Station", verbose_name=_("工作站"), on_delete=models.PROTECT,
                                related_name="rightsaid_cases")
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.INTAKE, db_index=True)
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("结案说明"), blank=True)
    amount_claimed = models.DecimalField(_("请求金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_recovered = models.DecimalField(_("挽回损失（元）"), max_digits=14, decimal_places=2, null=True,
                                           blank=True)
    expert_opinion = models.TextField(_("专家意见摘要"), blank=True)
    country = models.CharField(_("国家/地区"), max_length=100, blank=True)
    overseas_station = models.ForeignKey("accounts.Station", verbose_name=_("海外工作站"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="rightsaid_overseas_cases",
                                         limit_choices_to={"kind": "overseas"})
    requesting_authority = models.CharField(_("请求协助机关"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)

    attachments = GenericRelation("files.Attachment")
    objects = CaseQuerySet.as_manager()

    workflow = Workflow(
        Transition("start_review", _("开始审查"), source=[State.INTAKE], target=State.UNDER_REVIEW,
                   allowed=is_case_worker),
        Transition("accept", _("受理"), source=[State.INTAKE, State.UNDER_REVIEW], target=State.ACCEPTED,
                   allowed=is_case_worker, style="success"),
        Transition("decline", _("不予受理"), source=[State.INTAKE, State.UNDER_REVIEW], target=State.DECLINED,
                   allowed=is_case_worker, comment_required=True, style="danger"),
        Transition("start_handling", _("开始办理"), source=[State.ACCEPTED], target=State.HANDLING,
                   allowed=is_case_worker),
        Transition("refer", _("移交"), source=[State.ACCEPTED, State.HANDLING], target=State.REFERRED,
                   allowed=is_case_worker, manual=False),
        Transition("resume", _("收到反馈后继续办理"), source=[State.REFERRED], target=State.HANDLING,
                   allowed=is_case_worker, manual=False),
        Transition("close", _("结案"), source=[State.ACCEPTED, State.HANDLING, State.REFERRED], target=State.CLOSED,
                   allowed=is_case_worker, manual=False),
        audience=Audience.PUBLIC,  # the record's external parties follow its progress
    )

    class Meta:
        verbose_name = _("维权援助案件")
        verbose_name_plural = _("维权援助案件")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("rightsaid:case-detail", args=[self.pk])


class CaseChildQuerySet(ScopedQuerySet):
    """Evidence items and referrals: visible exactly when their case is."""

    def scope(self, user):
        return self.through_parent(user, "case")


class EvidenceItem(models.Model):
    """One line of a case's evidence list."""

    case = models.ForeignKey(AssistanceCase, on_delete=models.CASCADE, related_name="evidence_items")
    description = models.CharField(_("证据名称"), max_length=200)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据清单")
        ordering = ["pk"]

    def __str__(self):
        return self.description


class Referral(models.Model):
    """A case handed to an authority; feedback expected within the configured period."""

    class Authority(models.TextChoices):
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        POLICE = "police", _("公安机关")
        CUSTOMS = "customs", _("海关")
        MARKET_REGULATOR = "market_regulator", _("市场监管部门")
        CCPIT = "ccpit", _("贸促会")

    case = models.ForeignKey(AssistanceCase, on_delete=models.CASCADE, related_name="referrals")
    authority = models.CharField(_("移交机关"), max_length=32, choices=Authority.choices)
    authority_name = models.CharField(_("机关名称"), max_length=200, blank=True)
    note = models.TextField(_("移交说明"), blank=True)
    referred_at = models.DateTimeField(_("移交时间"), auto_now_add=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    feedback = models.TextField(_("反馈情况"), blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)

    objects = CaseChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("移交")
        verbose_name_plural = _("移交记录")
        ordering = ["-referred_at"]

    def __str__(self):
        return self.get_authority_display()


class ExhibitionQuerySet(StationScopedQuerySet):
    org_field = None


class Exhibition(models.Model):
    """An exhibition where the station provides on-site IP protection service."""

    name = models.CharField(_("展会名称"), max_length=200)
    venue = models.CharField(_("地点"), max_length=200)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    station = models.ForeignKey("accounts.Station", verbose_name=_("工作站"), on_delete=models.PROTECT,
                                related_name="rightsaid_exhibitions")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("展会")
        verbose_name_plural = _("展会")
        ordering = ["-start_date", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("rightsaid:exhibition-detail", args=[self.pk])


def normalise_respondent(name):
    """Key for recognising the same exhibitor across exhibitions."""
    key = re.sub(r"[\s()（）\[\]【】·.,，、\"'“”-]+", "", (name or "")).lower()
    for suffix in ("有限责任公司", "股份有限公司", "有限公司", "公司"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
            break
    return key


class ExhibitionComplaintQuerySet(StationScopedQuerySet):
    org_field = "complainant_org"
    station_field = "exhibition__station"


class ExhibitionComplaint(models.Model):
    """An on-site complaint against an exhibitor."""

    class State(models.TextChoices):
        OPEN = "open", _("待答辩")
        ANSWERED = "answered", _("已答辩")
        DECIDED = "decided", _("已处理")

    class Outcome(models.TextChoices):
        WITHDRAWN = "withdrawn", _("撤展")
        SETTLED = "settled", _("和解")
        REFERRED = "referred", _("移交")
        REJECTED = "rejected", _("投诉不成立")

    exhibition = models.ForeignKey(Exhibition, verbose_name=_("展会"), on_delete=models.PROTECT,
                                   related_name="complaints")
    complainant = models.CharField(_("投诉人"), max_length=200)
    complainant_org = models.ForeignKey("accounts.Organization", verbose_name=_("投诉单位"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="rightsaid_exhibition_complaints")
    respondent = models.CharField(_("被投诉人"), max_length=200)
    respondent_key = models.CharField(max_length=200, db_index=True, editable=False)
    booth = models.CharField(_("展位号"), max_length=50, blank=True)
    ip_type = models.CharField(_("知识产权类型"), max_length=16, choices=IPType.choices, default=IPType.PATENT)
    description = models.TextField(_("投诉内容"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True)
    answer = models.TextField(_("被投诉人答辩"), blank=True)
    answered_at = models.DateTimeField(_("答辩时间"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=Outcome.choices, blank=True)
    repeat_infringer = models.BooleanField(_("重复侵权"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("投诉时间"), auto_now_add=True, db_index=True)

    attachments = GenericRelation("files.Attachment")
    objects = ExhibitionComplaintQuerySet.as_manager()

    workflow = Workflow(
        Transition("record_answer", _("记录答辩"), source=[State.OPEN], target=State.ANSWERED,
                   allowed=is_case_worker, manual=False),
        Transition("decide", _("作出处理"), source=[State.OPEN, State.ANSWERED], target=State.DECIDED,
                   allowed=is_case_worker, manual=False),
        audience=Audience.PUBLIC,  # the record's external parties follow its progress
    )

    class Meta:
        verbose_name = _("展会投诉")
        verbose_name_plural = _("展会投诉")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.respondent}（{self.exhibition}）"

    def get_absolute_url(self):
        return reverse("rightsaid:complaint-detail", args=[self.pk])

    @property
    def station(self):
        return self.exhibition.station

"""People's mediation (人民调解) of IP disputes: the dispute and its parties,
consents, mediator, sessions, term extension, agreement and judicial confirmation."""
import hashlib
import json

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
from rightsaid.models import IPType
from ipcenter.workflow.engine import Transition, Workflow
from ipcenter.workflow.models import Audience

is_case_worker = is_mediator | is_station_staff | is_centre_manager


class MediationSettings(SingletonSettings):
    """Configurable clocks of mediation (one row).  The term is extendable once (a rule, not a
    setting: ``Extension`` allows one row per dispute)."""

    term_days = models.PositiveSmallIntegerField(_("调解期限（自然日）"), default=30,
                                                 validators=[MinValueValidator(1)])
    max_extension_days = models.PositiveSmallIntegerField(_("延长期限上限（自然日）"), default=30,
                                                          validators=[MinValueValidator(1)])
    confirmation_window_days = models.PositiveSmallIntegerField(_("司法确认申请期限（自然日）"), default=30,
                                                                validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("人民调解设置")
        verbose_name_plural = _("人民调解设置")


class DisputeQuerySet(ScopedQuerySet):
    def scope(self, user):
        """Staff: their station's subtree and what they registered; a mediator: the disputes
        assigned to them; a company: the disputes it is a party to."""
        q = Q(mediator=user) | user.station_scope.q("station")
        if user.organization_id:
            q |= Q(pk__in=Party.objects.filter(organization_id=user.organization_id).values("dispute_id"))
        q |= Q(created_by=user)  # e.g. a workstation's dispute registered at the mediation station
        return self.filter(q)


class Dispute(models.Model):
    """An IP dispute brought to people's mediation."""

    class State(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        AWAITING_CONSENT = "awaiting_consent", _("待当事人同意")
        CONSENTED = "consented", _("各方已同意")
        MEDIATOR_ASSIGNED = "mediator_assigned", _("已指派调解员")
        IN_MEDIATION = "in_mediation", _("调解中")
        AGREEMENT = "agreement", _("达成调解协议")
        FAILED = "failed", _("调解不成")
        CONFIRMED = "confirmed", _("司法确认已记录")
        WITHDRAWN = "withdrawn", _("已撤回")

    class Referral(models.TextChoices):
        COURT = "court", _("人民法院诉讼")
        ARBITRATION = "arbitration", _("仲裁")
        ADMINISTRATIVE = "administrative", _("行政裁决/行政处理")
        ASSISTANCE = "assistance", _("维权援助")
        NONE = "none", _("不转办")

    OPEN_STATES = [State.REGISTERED, State.AWAITING_CONSENT, State.CONSENTED, State.MEDIATOR_ASSIGNED,
                   State.IN_MEDIATION]

    number = models.CharField(_("案号"), max_length=40, unique=True, editable=False)
    station = models.ForeignKey("accounts.Station", verbose_name=_("受理工作站"), on_delete=models.PROTECT,
                                related_name="mediation_disputes")
    subject = models.CharField(_("纠纷事由"), max_length=200)
    ip_type = models.CharField(_("知识产权类型"), max_length=20, choices=IPType.choices)
    amount = models.DecimalField(_("争议金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(0)])
    description = models.TextField(_("纠纷简要情况"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REGISTERED)
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("调解员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="mediation_disputes")
    coi_declaration = models.TextField(_("利益冲突声明"), blank=True)
    coi_confirmed = models.BooleanField(_("已确认无利益冲突"), default=False)
    assigned_at = models.DateTimeField(_("指派时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始调解时间"), null=True, blank=True)
    due_date = models.DateField(_("调解期限"), null=True, blank=True)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    referral = models.CharField(_("转办去向"), max_length=20, choices=Referral.choices, blank=True)
    failure_note = models.TextField(_("调解不成说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    attachments = GenericRelation("files.Attachment")
    objects = DisputeQuerySet.as_manager()

    workflow = Workflow(
        Transition("request_consent", _("征求当事人同意"), source=[State.REGISTERED],
                   target=State.AWAITING_CONSENT, allowed=is_case_worker),
        Transition("consents_complete", _("各方当事人均已同意"), source=[State.AWAITING_CONSENT],
                   target=State.CONSENTED, manual=False),
        Transition("assign_mediator", _("指派调解员"),
                   source=[State.AWAITING_CONSENT, State.CONSENTED, State.MEDIATOR_ASSIGNED],
                   target=State.MEDIATOR_ASSIGNED, allowed=is_station_staff | is_centre_manager | is_mediator,
                   manual=False),
        Transition("start", _("开始调解"), source=[State.MEDIATOR_ASSIGNED], target=State.IN_MEDIATION,
                   allowed=is_case_worker, style="success"),
        Transition("reach_agreement", _("达成调解协议"), source=[State.IN_MEDIATION], target=State.AGREEMENT,
                   allowed=is_case_worker, manual=False),
        Transition("fail", _("调解不成"), source=[State.IN_MEDIATION], target=State.FAILED,
                   allowed=is_case_worker, manual=False),
        Transition("record_confirmation", _("记录司法确认结果"), source=[State.AGREEMENT],
                   target=State.CONFIRMED, allowed=is_case_worker, manual=False),
        Transition("withdraw", _("撤回调解申请"), source=OPEN_STATES, target=State.WITHDRAWN,
                   allowed=is_case_worker, comment_required=True, style="outline-danger"),
        audience=Audience.PUBLIC,  # the record's external parties follow its progress
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("调解纠纷")
        verbose_name_plural = _("调解纠纷")
        indexes = [models.Index(fields=["state", "station"])]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("mediation:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state in self.OPEN_STATES


class ChildQuerySet(ScopedQuerySet):
    """Parties, consents, sessions, agreements and confirmations: visible with their dispute."""

    def scope(self, user):
        return self.through_parent(user, "dispute")


class Party(models.Model):
    """A party to a dispute and its consent to mediation."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("申请人")
        RESPONDENT = "respondent", _("被申请人")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("当事人类型"), max_length=20, choices=Role.choices)
    name = models.CharField(_("姓名/名称"), max_length=150)
    id_number = models.CharField(_("身份证号/统一社会信用代码"), max_length=30, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("关联单位"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="mediation_parties")
    consent_given_at = models.DateTimeField(_("同意调解时间"), null=True, blank=True)
    consent_document = models.ForeignKey("files.Attachment", verbose_name=_("同意调解书"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self):
        return f"{self.get_role_display()}：{self.name}"

    def get_absolute_url(self):
        return self.dispute.get_absolute_url()

    @property
    def has_consented(self):
        return self.consent_given_at is not None




class MediationSession(models.Model):
    """One mediation session (调解会)."""

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("现场")
        ONLINE = "online", _("线上")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("日期"))
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    place = models.CharField(_("地点/线上平台"), max_length=150, blank=True)
    attendees = models.CharField(_("参加人员"), max_length=300)
    notes = models.TextField(_("调解情况"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("调解会")
        verbose_name_plural = _("调解会")

    def __str__(self):
        return f"{self.held_on} {self.get_mode_display()}"


class Extension(models.Model):
    """The single extension of a mediation term (the database refuses a second)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("延长理由"))
    old_due_date = models.DateField(_("原期限"))
    new_due_date = models.DateField(_("延长至"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("期限延长")
        verbose_name_plural = _("期限延长")
        constraints = [models.UniqueConstraint(fields=["dispute"], name="mediation_one_extension")]

    def __str__(self):
        return f"{self.old_due_date} → {self.new_due_date}"


class Agreement(models.Model):
    """The mediation agreement; its content hash and random token back the public verification page."""

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="agreement")
    number = models.CharField(_("协议编号"), max_length=40, unique=True)
    terms = models.TextField(_("协议内容"))
    signed_on = models.DateField(_("签订日期"))
    mediator_name = models.CharField(_("调解员"), max_length=150, blank=True,
                                     help_text=_("签订时调解员的姓名（协议内容的一部分，不随账号改名变化）。"))
    content_hash = models.CharField(_("内容摘要（SHA-256）"), max_length=64)
    token = models.CharField(max_length=64, unique=True, editable=False)
    pdf = models.ForeignKey("files.Attachment", verbose_name=_("协议书 PDF"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("调解协议")
        verbose_name_plural = _("调解协议")

    def __str__(self):
        return self.number

    def canonical_content(self):
        """The agreement's content as a stable JSON string (what the hash covers)."""
        dispute = self.dispute
        parties = [[p.role, p.name, p.id_number] for p in dispute.parties.order_by("role", "pk")]
        data = {
            "number": self.number, "dispute": dispute.number, "signed_on": self.signed_on.isoformat(),
            "parties": parties, "terms": self.terms.replace("\r\n", "\n").strip(),
            "mediator": self.mediator_name,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def compute_hash(self):
        return hashlib.sha256(self.canonical_content().encode("utf-8")).hexdigest()

    @property
    def hash_prefix(self):
        return self.content_hash[:16]

    def matches(self, prefix):
        """The registered record still hashes to its stored digest, and ``prefix`` (from the
        QR link) is that digest's prefix."""
        return self.compute_hash() == self.content_hash and prefix == self.hash_prefix

    def get_verification_path(self):
        return reverse("mediation:verify", args=[self.token, self.hash_prefix])


class JudicialConfirmation(models.Model):
    """The parties' application for judicial confirmation and the court's result."""

    class Result(models.TextChoices):
        CONFIRMED = "confirmed", _("裁定确认有效")
        REJECTED = "rejected", _("裁定驳回")
        WITHDRAWN = "withdrawn", _("撤回申请")

    dispute = models.OneToOneField(Dispute, on_delete=models.CASCADE, related_name="confirmation")
    applied_on = models.DateField(_("申请日期"))
    court = models.CharField(_("受理法院"), max_length=150)
    result = models.CharField(_("结果"), max_length=20, choices=Result.choices)
    decided_on = models.DateField(_("裁定日期"), null=True, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("司法确认")
        verbose_name_plural = _("司法确认")

    def __str__(self):
        return f"{self.court} {self.get_result_display()}"

"""Pre-examination: registration (备案) of innovation entities, cases, opinions, defect catalogue.

Rules live in ``services/`` (a package by topic); this module holds the data, the declared workflows and
the scoping (``visible_to``).  Field names follow ``docs/prescreen-contract.md``.
"""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.accounts.rules import is_centre_manager
from ipcenter.querysets import ScopedQuerySet
from ipcenter.singleton import SingletonSettings
from ipcenter.workflow.engine import Transition, Workflow
from ipcenter.workflow.models import Audience


class PrescreenSettings(SingletonSettings):
    """Admin-editable numbers of the pre-exam rules (one row; DOMAIN.md §1 defaults)."""

    class SimilarityScope(models.TextChoices):
        SAME_APPLICANT = "same_applicant", _("仅同一申请人")
        ANY = "any", _("全部案件")

    turnaround_working_days = models.PositiveSmallIntegerField(_("预审办结期限（工作日）"), default=7)
    correction_working_days = models.PositiveSmallIntegerField(_("补正期限（工作日）"), default=5)
    cnipa_filing_days = models.PositiveSmallIntegerField(_("国知局递交期限（日）"), default=10)
    design_enabled = models.BooleanField(_("受理外观设计"), default=False)
    abstract_limit = models.PositiveSmallIntegerField(_("摘要字数上限"), default=300)
    title_limit = models.PositiveSmallIntegerField(_("名称字数上限"), default=25)
    forbidden_title_words = models.TextField(
        _("名称禁用词"), blank=True, default="等\n及其类似\n左右\n约\n新型\n高效\n最佳",
        help_text=_("每行一个；出现在发明名称或权利要求中时提示。"))
    quota_minimum = models.PositiveSmallIntegerField(_("年度配额下限"), default=5)
    quota_growth = models.DecimalField(_("配额增长系数"), max_digits=4, decimal_places=2, default=1.5,
                                       help_text=_("配额 = max(下限, ⌈上年合格件数 × 授权率 × 系数⌉)"))
    risk_min_cases = models.PositiveSmallIntegerField(_("风险评估最少案件数"), default=5)
    risk_suspend_rate = models.DecimalField(_("暂停阈值（不合格率）"), max_digits=3, decimal_places=2, default=0.50,
                                            validators=[MinValueValidator(0), MaxValueValidator(1)])
    risk_cancel_rate = models.DecimalField(_("取消阈值（不合格率）"), max_digits=3, decimal_places=2, default=0.70,
                                           validators=[MinValueValidator(0), MaxValueValidator(1)])
    suspension_months = models.PositiveSmallIntegerField(_("暂停月数"), default=6)
    reapply_bar_years = models.PositiveSmallIntegerField(_("取消后不得重新备案年数"), default=3)
    similarity_threshold = models.DecimalField(_("相似度阈值"), max_digits=3, decimal_places=2, default=0.80,
                                               validators=[MinValueValidator(0), MaxValueValidator(1)])
    similarity_scope = models.CharField(_("相似比对范围"), max_length=20, choices=SimilarityScope.choices,
                                        default=SimilarityScope.SAME_APPLICANT)

    class Meta:
        verbose_name = _("预审参数")
        verbose_name_plural = _("预审参数")


    def clean(self):
        if self.risk_cancel_rate < self.risk_suspend_rate:
            raise ValidationError({"risk_cancel_rate": _("取消阈值不能低于暂停阈值。")})

    def forbidden_words(self):
        return [w.strip() for w in self.forbidden_title_words.splitlines() if w.strip()]


def _org_scope(user, field="organization"):
    """Q for records of the user's organisation or, for an agency, its client companies."""
    ids = [user.organization_id] if user.organization_id else []
    ids += list(user.client_organization_ids)
    return Q(**{f"{field}_id__in": ids})


class RegistrationQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.is_centre_wide or user.has_role(roles.EXAMINER, roles.QC_REVIEWER):
            return self
        if user.organization_id:
            return self.filter(_org_scope(user))
        return self.none()


class Registration(models.Model):
    """An innovation entity's (or agency's) 备案 with the centre."""

    class State(models.TextChoices):
        APPLYING = "applying", _("申请中")
        REGISTERED = "registered", _("已备案")
        RETURNED = "returned", _("已退回")
        SUSPENDED = "suspended", _("暂停")
        CANCELLED = "cancelled", _("已取消")

    organization = models.ForeignKey("accounts.Organization", verbose_name=_("单位"), on_delete=models.PROTECT,
                                     related_name="prescreen_registrations")
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.APPLYING,
                             db_index=True)
    technical_fields = models.ManyToManyField("accounts.TechnicalField", verbose_name=_("技术领域"))
    registered_in_region = models.BooleanField(_("在自治区内注册"), default=True)
    established_on = models.DateField(_("成立日期"))
    insured_staff = models.PositiveIntegerField(_("参保职工人数"))
    invention_patents = models.PositiveIntegerField(_("已有发明专利"), default=0)
    utility_design_patents = models.PositiveIntegerField(_("已有实用新型/外观设计专利"), default=0)
    abnormal_finding_on = models.DateField(_("最近一次非正常申请认定日期"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    eligibility = models.JSONField(_("条件核验结果"), default=list, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    suspended_until = models.DateField(_("暂停至"), null=True, blank=True)
    risk_note = models.TextField(_("风险说明"), blank=True)
    cancelled_on = models.DateField(_("取消日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    attachments = GenericRelation("files.Attachment")

    objects = RegistrationQuerySet.as_manager()

    workflow = Workflow(
        Transition("approve", _("准予备案"), source=[State.APPLYING], target=State.REGISTERED,
                   allowed=is_centre_manager, style="success"),
        Transition("return", _("退回"), source=[State.APPLYING], target=State.RETURNED,
                   allowed=is_centre_manager, comment_required=True, style="danger"),
        Transition("resubmit", _("重新提交"), source=[State.RETURNED], target=State.APPLYING,
                   allowed=lambda user, reg: user.organization_id == reg.organization_id),
        Transition("suspend", _("暂停"), source=[State.REGISTERED], target=State.SUSPENDED,
                   allowed=is_centre_manager, comment_required=True, style="warning", manual=False),
        Transition("reinstate", _("恢复"), source=[State.SUSPENDED], target=State.REGISTERED,
                   allowed=is_centre_manager),
        Transition("cancel", _("取消备案"), source=[State.REGISTERED, State.SUSPENDED], target=State.CANCELLED,
                   allowed=is_centre_manager, comment_required=True, style="danger"),
        audience=Audience.PUBLIC,  # the record's external parties follow its progress
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("创新主体备案")
        verbose_name_plural = _("创新主体备案")
        constraints = [
            models.UniqueConstraint(fields=["organization"], condition=~Q(state__in=["returned", "cancelled"]),
                                    name="prescreen_one_live_registration"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("prescreen:registration-detail", args=[self.pk])


def is_draft_author(user, case):
    """A draft belongs to the organisation that wrote it: the agency that filed it for a client,
    or the company that filed it itself (its agencies see it only once submitted)."""
    org = user.organization_id
    if not org:
        return False
    return case.agency_id == org if case.agency_id else case.organization_id == org


def acts_for_case(user, case):
    """A draft: its author organisation only.  Once submitted: the case's own company, its
    recorded agency, or an agency serving that company."""
    if not user.organization_id:
        return False
    if case.state == PreExamCase.State.DRAFT:
        return is_draft_author(user, case)
    return (user.organization_id in (case.organization_id, case.agency_id)
            or case.organization_id in user.client_organization_ids)


def _field_ids(user):
    """The examiner's field ids as a literal list: the planner uses the case indexes better than
    with an IN-subquery over the user↔field table."""
    return list(user.technical_fields.values_list("pk", flat=True))


class PreExamCaseQuerySet(ScopedQuerySet):
    def scope(self, user):
        """An applicant's drafts are its own until submitted: centre staff see cases from
        submission on, examiners those of their fields."""
        submitted = ~Q(state=PreExamCase.State.DRAFT)
        if user.is_centre_wide or user.has_role(roles.QC_REVIEWER):
            return self.filter(submitted)
        q = Q(pk__in=[])
        if user.organization_id:
            org = user.organization_id
            own_draft = Q(state=PreExamCase.State.DRAFT) & (
                Q(agency_id=org) | Q(organization_id=org, agency__isnull=True))
            q |= ((_org_scope(user) | Q(agency_id=org)) & submitted) | own_draft
        if user.has_role(roles.EXAMINER):  # their fields' cases, once submitted (drafts stay private)
            q |= Q(technical_field__in=_field_ids(user)) & submitted
        return self.filter(q)

    def visible_to(self, user, action="view"):
        """As ``scope``; superusers too never see another organisation's drafts."""
        qs = super().visible_to(user, action)
        if user is not None and user.is_authenticated and user.is_superuser:
            qs = qs.exclude(state=PreExamCase.State.DRAFT)
        return qs

    def queue_for(self, examiner):
        """Accepted, unclaimed cases of the examiner's fields, oldest first."""
        return self.filter(state=PreExamCase.State.ACCEPTED, examiner__isnull=True,
                           technical_field__in=_field_ids(examiner)).order_by("accepted_at", "pk")


class PreExamCase(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        ACCEPTED = "accepted", _("已受理")
        REFUSED = "refused", _("不予受理")
        EXAMINING = "examining", _("预审中")
        NEEDS_CORRECTION = "needs_correction", _("需补正")
        QUALIFIED = "qualified", _("预审合格")
        UNQUALIFIED = "unqualified", _("预审不合格")
        TERMINATED = "terminated", _("终止")

    class PatentType(models.TextChoices):
        INVENTION = "invention", _("发明")
        UTILITY_MODEL = "utility_model", _("实用新型")
        DESIGN = "design", _("外观设计")

    class CnipaOutcome(models.TextChoices):
        GRANT = "grant", _("授权")
        REJECTION = "rejection", _("驳回")
        DEEMED_WITHDRAWN = "deemed_withdrawn", _("视为撤回")

    number = models.CharField(_("预审编号"), max_length=20, unique=True, null=True, blank=True)
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("申请人单位"),
                                     on_delete=models.PROTECT, related_name="prescreen_cases")
    agency = models.ForeignKey("accounts.Organization", verbose_name=_("代理机构"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="prescreen_agency_cases")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                 related_name="+")
    title = models.CharField(_("发明名称"), max_length=100)
    patent_type = models.CharField(_("专利类型"), max_length=16, choices=PatentType.choices,
                                   default=PatentType.INVENTION)
    technical_field = models.ForeignKey("accounts.TechnicalField", verbose_name=_("技术领域"),
                                        on_delete=models.PROTECT)
    ipc = models.CharField(_("建议IPC分类号"), max_length=40, blank=True)
    applicants = models.CharField(_("申请人"), max_length=300)
    inventors = models.CharField(_("发明人"), max_length=300)
    is_pct_national_phase = models.BooleanField(_("PCT国家阶段"), default=False)
    is_divisional = models.BooleanField(_("分案申请"), default=False)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预审员"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="prescreen_cases")
    conclusion = models.CharField(_("预审结论"), max_length=16, blank=True)
    refuse_reason = models.TextField(_("不予受理理由"), blank=True)
    termination_reason = models.TextField(_("终止原因"), blank=True)
    correction_rounds = models.PositiveSmallIntegerField(_("补正次数"), default=0)
    precheck_findings = models.JSONField(_("形式预检结果"), default=list, blank=True)
    fingerprint = models.CharField(_("文本指纹"), max_length=32, blank=True)
    claims_abstract_text = models.TextField(_("权利要求与摘要文本"), blank=True,
                                            help_text=_("由形式预检提取，用于疑似重复申请比对。"))
    similar_case = models.ForeignKey("self", verbose_name=_("疑似重复案件"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    similarity_score = models.FloatField(_("相似度"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True, db_index=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    cnipa_application_number = models.CharField(_("国家知识产权局申请号"), max_length=20, blank=True)
    cnipa_filed_on = models.DateField(_("正式递交日期"), null=True, blank=True)
    cnipa_outcome = models.CharField(_("实审结果"), max_length=20, choices=CnipaOutcome.choices, blank=True)
    cnipa_outcome_date = models.DateField(_("实审结果日期"), null=True, blank=True)
    cnipa_reasons = models.TextField(_("实审理由"), blank=True)
    attachments = GenericRelation("files.Attachment")

    objects = PreExamCaseQuerySet.as_manager()

    workflow = Workflow(
        Transition("submit", _("提交预审"), source=[State.DRAFT], target=State.SUBMITTED,
                   allowed=acts_for_case),
        Transition("accept", _("受理"), source=[State.SUBMITTED], target=State.ACCEPTED,
                   allowed=is_centre_manager, style="success"),
        Transition("refuse", _("不予受理"), source=[State.SUBMITTED], target=State.REFUSED,
                   allowed=is_centre_manager, comment_required=True, style="danger"),
        Transition("start", _("开始预审"), source=[State.ACCEPTED], target=State.EXAMINING, manual=False),
        Transition("request_correction", _("发出补正通知"), source=[State.EXAMINING],
                   target=State.NEEDS_CORRECTION, manual=False),
        Transition("correct", _("提交补正"), source=[State.NEEDS_CORRECTION], target=State.EXAMINING,
                   manual=False),
        Transition("qualify", _("预审合格"), source=[State.EXAMINING], target=State.QUALIFIED, manual=False),
        Transition("disqualify", _("预审不合格"), source=[State.EXAMINING], target=State.UNQUALIFIED,
                   manual=False),
        Transition("terminate", _("终止"), source=[State.SUBMITTED, State.ACCEPTED, State.EXAMINING,
                                                 State.NEEDS_CORRECTION], target=State.TERMINATED,
                   allowed=is_centre_manager, comment_required=True, style="danger"),
        Transition("withdraw", _("撤回"), source=[State.DRAFT, State.SUBMITTED, State.ACCEPTED, State.EXAMINING,
                                                State.NEEDS_CORRECTION], target=State.TERMINATED,
                   allowed=acts_for_case, comment_required=True, style="danger"),
        audience=Audience.PUBLIC,  # the record's external parties follow its progress
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("预审案件")
        verbose_name_plural = _("预审案件")
        indexes = [
            models.Index(fields=["state", "technical_field", "accepted_at"]),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["examiner", "state"]),
            models.Index(fields=["-created_at", "-id"], name="prescreen_case_newest"),  # default list order
            # the examiner queue and "claim next": accepted, unclaimed cases of a field, oldest first
            models.Index(fields=["technical_field", "accepted_at", "id"], name="prescreen_case_queue",
                         condition=models.Q(state="accepted", examiner__isnull=True)),
            # the statistics: a period of each date the figures count by (covering the columns the
            # quota, turnaround and breakdown queries read, so they scan the index only)
            models.Index(fields=["submitted_at"], include=["state", "organization", "technical_field",
                                                           "cnipa_outcome"], name="prescreen_case_submitted"),
            models.Index(fields=["concluded_at"], include=["state", "organization", "accepted_at", "cnipa_outcome"],
                         name="prescreen_case_concluded"),
            models.Index(fields=["cnipa_filed_on"], name="prescreen_case_filed"),
            models.Index(fields=["cnipa_outcome_date"], name="prescreen_case_outcome"),
        ]

    def __str__(self):
        return f"{self.number or _('草稿')} {self.title}"

    def get_absolute_url(self):
        return reverse("prescreen:case-detail", args=[self.pk])

    @property
    def is_open(self):
        return self.state not in (self.State.REFUSED, self.State.QUALIFIED, self.State.UNQUALIFIED,
                                  self.State.TERMINATED)


class DefectType(models.Model):
    """Catalogue of opinion defect types (admin-editable)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=30, blank=True)
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("缺陷类型")
        verbose_name_plural = _("缺陷类型")

    def __str__(self):
        return self.name


DEFAULT_DEFECT_TYPES = [
    ("novelty", "新颖性问题", "实质"), ("inventiveness", "创造性问题", "实质"),
    ("unclear-claim", "权利要求不清楚", "权利要求"), ("unsupported-claim", "权利要求得不到说明书支持", "权利要求"),
    ("insufficient-disclosure", "说明书公开不充分", "说明书"), ("formal", "形式缺陷", "形式"),
    ("drawing", "附图缺陷", "形式"), ("abstract", "摘要缺陷", "形式"), ("other", "其他", "其他"),
]


class OpinionQuerySet(ScopedQuerySet):
    def scope(self, user):
        cases = PreExamCase.objects.visible_to(user)
        qs = self.filter(case__in=cases)
        if not user.is_internal:
            qs = qs.filter(state=Opinion.State.ISSUED)  # applicants never see drafts
        return qs


class Opinion(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待签发")
        ISSUED = "issued", _("已签发")
        RETURNED = "returned", _("已退回修改")

    class Conclusion(models.TextChoices):
        NEEDS_CORRECTION = "needs_correction", _("需补正")
        QUALIFIED = "qualified", _("合格")
        UNQUALIFIED = "unqualified", _("不合格")

    case = models.ForeignKey(PreExamCase, verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撰写人"), on_delete=models.PROTECT,
                               related_name="prescreen_opinions")
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    state = models.CharField(_("状态"), max_length=12, choices=State.choices, default=State.DRAFT)
    conclusion = models.CharField(_("结论"), max_length=20, choices=Conclusion.choices, blank=True)
    reasons = models.TextField(_("结论理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交签发时间"), null=True, blank=True)
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    attachments = GenericRelation("files.Attachment")

    objects = OpinionQuerySet.as_manager()

    # the examiner's internal work: the services run these (the case's timeline says what the
    # applicant may read), so none is a button
    workflow = Workflow(
        Transition("submit", _("提交意见"), source=["draft", "returned"], target="submitted", manual=False),
        Transition("issue", _("签发意见"), source=["submitted"], target="issued", manual=False),
        Transition("return", _("退回修改"), source=["submitted"], target="returned", manual=False),
    )

    class Meta:
        ordering = ["case", "round"]
        verbose_name = _("预审意见")
        verbose_name_plural = _("预审意见")
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="prescreen_one_opinion_per_round")]

    def __str__(self):
        return f"{self.case} · {_('第 %(n)s 轮意见') % {'n': self.round}}"

    def get_absolute_url(self):
        return reverse("prescreen:opinion-edit", args=[self.pk])

    @property
    def editable(self):
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class DefectItem(models.Model):
    opinion = models.ForeignKey(Opinion, verbose_name=_("意见"), on_delete=models.CASCADE, related_name="items")
    defect_type = models.ForeignKey(DefectType, verbose_name=_("缺陷类型"), on_delete=models.PROTECT)
    location = models.CharField(_("位置"), max_length=60, help_text=_("例如：权利要求 3；说明书 第[0012]段"))
    text = models.TextField(_("缺陷说明"))
    suggestion = models.TextField(_("修改建议"), blank=True)
    order = models.PositiveSmallIntegerField(_("序号"), default=0)

    class Meta:
        ordering = ["opinion", "order", "pk"]
        verbose_name = _("缺陷条目")
        verbose_name_plural = _("缺陷条目")

    def __str__(self):
        return f"{self.location} · {self.defect_type}"

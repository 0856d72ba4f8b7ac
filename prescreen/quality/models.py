"""Four-level quality check of pre-exam opinions (DOMAIN.md §2).

互检 (peer) checks open when an opinion is submitted and block its release; 部级 and
保护中心 checks are drawn as reproducible weighted samples of issued opinions; 实审反馈
items compare the CNIPA outcome with the pre-exam conclusion.  Rules in ``services.py``.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.querysets import ScopedQuerySet
from ipcenter.workflow.engine import Transition, Workflow
from ipcenter.singleton import SingletonSettings


class Level(models.TextChoices):
    PEER = "peer", _("互检")
    DEPARTMENT = "department", _("部级质检")
    CENTRE = "centre", _("保护中心质检")


NEXT_LEVEL = {Level.PEER: Level.DEPARTMENT, Level.DEPARTMENT: Level.CENTRE}


class QualitySettings(SingletonSettings):
    class PeerMode(models.TextChoices):
        ALL = "all", _("全部案件")
        SHARE = "share", _("按比例抽取")

    peer_mode = models.CharField(_("互检范围"), max_length=10, choices=PeerMode.choices, default=PeerMode.ALL)
    peer_share = models.DecimalField(_("互检比例"), max_digits=3, decimal_places=2, default=1,
                                     validators=[MinValueValidator(0), MaxValueValidator(1)])
    department_share = models.DecimalField(_("部级抽检比例"), max_digits=3, decimal_places=2, default=0.20,
                                           validators=[MinValueValidator(0), MaxValueValidator(1)])
    centre_share = models.DecimalField(_("中心抽检比例"), max_digits=3, decimal_places=2, default=0.10,
                                       validators=[MinValueValidator(0), MaxValueValidator(1)])
    new_examiner_months = models.PositiveSmallIntegerField(_("新预审员（入职月数以内）"), default=6)
    weight_new_examiner = models.DecimalField(_("权重：新预审员"), max_digits=4, decimal_places=2, default=2)
    weight_complex_field = models.DecimalField(_("权重：复杂领域"), max_digits=4, decimal_places=2, default=1)
    weight_per_correction = models.DecimalField(_("权重：每轮补正"), max_digits=4, decimal_places=2, default=0.5)
    weight_cnipa_rejected = models.DecimalField(_("权重：实审驳回"), max_digits=4, decimal_places=2, default=3)
    complex_fields = models.ManyToManyField("accounts.TechnicalField", verbose_name=_("复杂领域"), blank=True)
    peer_check_working_days = models.PositiveSmallIntegerField(_("互检期限（工作日）"), default=1)
    check_working_days = models.PositiveSmallIntegerField(_("抽检期限（工作日）"), default=5)
    fix_working_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), default=3)

    class Meta:
        verbose_name = _("质检参数")
        verbose_name_plural = _("质检参数")


class ErrorType(models.Model):
    """The admin-editable error catalogue."""

    class Severity(models.TextChoices):
        CRITICAL = "critical", _("严重")
        MAJOR = "major", _("一般")
        MINOR = "minor", _("轻微")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    category = models.CharField(_("类别"), max_length=30)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    description = models.CharField(_("说明"), max_length=200)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["category", "severity", "code"]
        verbose_name = _("差错类型")
        verbose_name_plural = _("差错类型")

    def __str__(self):
        return f"{self.category} · {self.description}（{self.get_severity_display()}）"


DEFAULT_ERROR_TYPES = [
    ("conclusion-wrong", "结论", "critical", "预审结论错误"),
    ("novelty-missed", "实质", "critical", "遗漏新颖性/创造性问题"),
    ("claim-defect-missed", "权利要求", "major", "遗漏权利要求缺陷"),
    ("disclosure-missed", "说明书", "major", "遗漏说明书公开不充分问题"),
    ("wrong-legal-basis", "法律适用", "major", "法律依据引用错误"),
    ("unclear-opinion", "撰写", "minor", "意见表述不清或建议不可操作"),
    ("formal-missed", "形式", "minor", "遗漏形式缺陷"),
    ("typo", "撰写", "minor", "错别字/格式问题"),
]


class SampleQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.is_centre_wide or user.has_role(roles.QC_REVIEWER):
            return self
        return self.none()


class Sample(models.Model):
    """One reproducible draw: the seed, the population and the weights are kept, so the
    same draw can be recomputed and checked."""

    level = models.CharField(_("质检层级"), max_length=12, choices=Level.choices)
    period_start = models.DateField(_("期间自"))
    period_end = models.DateField(_("期间至"))
    share = models.DecimalField(_("抽检比例"), max_digits=3, decimal_places=2)
    seed = models.BigIntegerField(_("随机种子"))
    population = models.JSONField(_("抽样总体"), default=list, help_text=_("[[意见ID, 权重], …]"))
    selected = models.JSONField(_("抽中意见"), default=list)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽样人"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True, help_text=_("空 = 系统按月自动抽样"))
    drawn_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)

    objects = SampleQuerySet.as_manager()

    class Meta:
        ordering = ["-drawn_at"]
        verbose_name = _("抽样批次")
        verbose_name_plural = _("抽样批次")

    def __str__(self):
        return f"{self.get_level_display()} {self.period_start:%Y-%m-%d}～{self.period_end:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("quality:sample-detail", args=[self.pk])


class QualityCheckQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.is_centre_wide or user.has_role(roles.QC_REVIEWER):
            return self
        if user.has_role(roles.EXAMINER):
            # checks of their own work, checks they perform, and unassigned peer checks of
            # colleagues in their fields (so they can take one)
            return self.filter(Q(examiner=user) | Q(reviewer=user) | (
                Q(level=Level.PEER, reviewer__isnull=True, state=QualityCheck.State.OPEN,
                  case__technical_field__in=user.technical_fields.all()) & ~Q(examiner=user)))
        return self.none()


class QualityCheck(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("待检查")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    class Outcome(models.TextChoices):
        PASS = "pass", _("通过")
        REMARKS = "remarks", _("通过（附意见）")
        RETURN = "return", _("退回整改")

    level = models.CharField(_("质检层级"), max_length=12, choices=Level.choices, db_index=True)
    opinion = models.ForeignKey("prescreen.Opinion", verbose_name=_("预审意见"), on_delete=models.PROTECT,
                                related_name="quality_checks")
    case = models.ForeignKey("prescreen.PreExamCase", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="quality_checks")
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被检预审员"), on_delete=models.PROTECT,
                                 related_name="quality_checks_received")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检查人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="quality_checks_done")
    sample = models.ForeignKey(Sample, verbose_name=_("抽样批次"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="checks")
    appeal_of = models.OneToOneField("self", verbose_name=_("复核的质检"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="appeal_check")
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    outcome = models.CharField(_("结论"), max_length=10, choices=Outcome.choices, blank=True)
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True,
                                             validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.TextField(_("检查意见"), blank=True)
    overturned = models.BooleanField(_("经申诉撤销"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = QualityCheckQuerySet.as_manager()

    workflow = Workflow(
        Transition("complete", _("完成质检"), source=["open"], target="done", manual=False),
        Transition("cancel", _("取消质检"), source=["open"], target="cancelled", manual=False),
        namespace="quality.check",  # the codes stored before the model was named QualityCheck
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("质检")
        verbose_name_plural = _("质检")
        constraints = [
            # one open peer check per opinion; each opinion sampled at most once per level
            models.UniqueConstraint(fields=["opinion"], condition=Q(level="peer", state="open"),
                                    name="quality_one_open_peer_check"),
            models.UniqueConstraint(fields=["opinion", "level"], condition=Q(sample__isnull=False),
                                    name="quality_sampled_once_per_level"),
            models.CheckConstraint(condition=~Q(reviewer=models.F("examiner")), name="quality_not_own_work"),
        ]
        indexes = [models.Index(fields=["examiner", "state"]), models.Index(fields=["reviewer", "state"])]

    def __str__(self):
        return f"{self.get_level_display()} · {self.case}"

    def get_absolute_url(self):
        return reverse("quality:check-detail", args=[self.pk])

    def clean(self):
        if self.reviewer_id and self.reviewer_id == self.examiner_id:
            raise ValidationError({"reviewer": _("不能检查自己的工作。")})

    @property
    def can_appeal(self):
        return (self.state == self.State.DONE and self.level in NEXT_LEVEL and not self.overturned
                and (self.outcome == self.Outcome.RETURN or self.errors.exists())
                and not QualityCheck.objects.filter(appeal_of=self).exists())


class CheckError(models.Model):
    check_record = models.ForeignKey(QualityCheck, verbose_name=_("质检"), on_delete=models.CASCADE, related_name="errors")
    error_type = models.ForeignKey(ErrorType, verbose_name=_("差错类型"), on_delete=models.PROTECT)
    defect_item = models.ForeignKey("prescreen.DefectItem", verbose_name=_("对应缺陷条目"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("说明"))

    class Meta:
        ordering = ["check_record", "pk"]
        verbose_name = _("差错")
        verbose_name_plural = _("差错")

    def __str__(self):
        return str(self.error_type)


class FixTaskQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.is_centre_wide or user.has_role(roles.QC_REVIEWER):
            return self
        if user.has_role(roles.EXAMINER):
            return self.filter(Q(examiner=user) | Q(check_record__reviewer=user))
        return self.none()


class FixTask(models.Model):
    """Work returned by a sampled check: the examiner fixes it within the deadline."""

    class State(models.TextChoices):
        OPEN = "open", _("待整改")
        DONE = "done", _("已整改")

    check_record = models.OneToOneField(QualityCheck, verbose_name=_("质检"), on_delete=models.PROTECT,
                                        related_name="fix_task")
    case = models.ForeignKey("prescreen.PreExamCase", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="quality_fix_tasks")
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预审员"), on_delete=models.PROTECT,
                                 related_name="quality_fix_tasks")
    reason = models.TextField(_("整改要求"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    fix_note = models.TextField(_("整改说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = FixTaskQuerySet.as_manager()

    workflow = Workflow(Transition("done", _("完成整改"), source=["open"], target="done", manual=False))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")

    def __str__(self):
        return f"{_('整改')} · {self.case}"

    def get_absolute_url(self):
        return self.check_record.get_absolute_url()


class FeedbackQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.is_centre_wide or user.has_role(roles.QC_REVIEWER):
            return self
        if user.has_role(roles.EXAMINER):
            return self.filter(examiner=user)
        return self.none()


class FeedbackItem(models.Model):
    """实审反馈: the CNIPA outcome set against the pre-exam conclusion and defect items."""

    case = models.OneToOneField("prescreen.PreExamCase", verbose_name=_("案件"), on_delete=models.PROTECT,
                                related_name="quality_feedback")
    opinion = models.ForeignKey("prescreen.Opinion", verbose_name=_("最终意见"), on_delete=models.PROTECT,
                                related_name="+")
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预审员"), on_delete=models.PROTECT,
                                 related_name="quality_feedback")
    conclusion = models.CharField(_("预审结论"), max_length=20)
    cnipa_outcome = models.CharField(_("实审结果"), max_length=20)
    cnipa_reasons = models.TextField(_("实审理由"), blank=True)
    consistent = models.BooleanField(_("结论一致"), null=True,
                                     help_text=_("空 = 不可比（如申请视为撤回，与预审质量无关）"))
    missed = models.JSONField(_("预审未指出的问题"), default=list, blank=True)
    note = models.TextField(_("分析"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("实审反馈")
        verbose_name_plural = _("实审反馈")

    def __str__(self):
        return f"{_('实审反馈')} · {self.case}"

    def get_absolute_url(self):
        return self.case.get_absolute_url()


QualityCheckOutcome = QualityCheck.Outcome  # importable name for the API schema's enum naming

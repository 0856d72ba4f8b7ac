"""Every due date is a row: what is awaited, by when, by which rule, and which
reminders have gone out (one per deadline and stage, enforced by the database)."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.querysets import ScopedQuerySet


class CalendarOverride(models.Model):
    """An admin-entered day that overrides the holiday package: a holiday, or a
    調休 makeup working day (for years the package does not know yet)."""

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '休息'} {self.note}"


class ReminderStage(models.Model):
    """When reminders go out, relative to the due date (negative = before)."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    label = models.CharField(_("名称"), max_length=50)
    offset_days = models.SmallIntegerField(_("相对到期日的天数"), help_text=_("负数表示到期前，0 为到期当天，正数为逾期后。"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["offset_days"]
        verbose_name = _("提醒节点")
        verbose_name_plural = _("提醒节点")

    def __str__(self):
        return self.label


class DeadlineQuerySet(ScopedQuerySet):
    def scope(self, user):
        """A user's own deadlines, their organisation's, and those of the stations they work
        for (``StationScope``: centre users of other departments see no station's)."""
        q = Q(assignee=user) | user.station_scope.q("station")
        if user.organization_id:
            q |= Q(organization_id=user.organization_id)
        return self.filter(q)

    def pending(self):
        return self.filter(state__in=[Deadline.State.OPEN, Deadline.State.OVERDUE])


class Deadline(models.Model):
    class Rule(models.TextChoices):
        WORKING_DAYS = "working", _("工作日")
        CALENDAR_DAYS = "calendar", _("自然日")
        HOURS = "hours", _("小时")

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        MET = "met", _("已完成")
        OVERDUE = "overdue", _("已逾期")
        CANCELLED = "cancelled", _("已取消")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("期限类型"), max_length=60)
    # the source (Chinese) text, or with ``label_params`` its template: ``display_label`` renders
    # it in the viewer's language when shown (rows written before the parameters were kept show
    # their stored text)
    label = models.CharField(_("名称"), max_length=200)
    label_params = models.JSONField(_("名称参数"), default=dict, blank=True)
    rule = models.CharField(_("计算规则"), max_length=10, choices=Rule.choices)
    amount = models.PositiveIntegerField(_("期限"))
    starts_at = models.DateTimeField(_("起算时间"))
    due_at = models.DateTimeField(_("到期时间"), db_index=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    # set once the registered expiry handler of the kind has run (``services.on_expiry``)
    expiry_handled_at = models.DateTimeField(_("到期处理时间"), null=True, blank=True)
    # Who is reminded: a person, an organisation's users, or a station's staff.
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="deadlines")
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("单位"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="deadlines")
    station = models.ForeignKey("accounts.Station", verbose_name=_("工作站"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="deadlines")
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("期限")
        verbose_name_plural = _("期限")
        indexes = [
            models.Index(fields=["content_type", "object_id", "kind"]),
            models.Index(fields=["state", "due_at"]),
        ]
        constraints = [
            # At most one open/overdue deadline of a kind per target.
            models.UniqueConstraint(fields=["content_type", "object_id", "kind"],
                                    condition=Q(state__in=["open", "overdue"]),
                                    name="deadline_one_pending_per_kind"),
        ]

    def __str__(self):
        return f"{self.display_label}（{timezone.localtime(self.due_at):%Y-%m-%d}）"

    @property
    def display_label(self):
        """The name in the active language: the stored source text (or template) through the
        catalogue, its parameters too (a choice label such as a phase or an authority is a
        catalogue entry; numbers and names stay as they are)."""
        from django.utils.translation import gettext

        text = gettext(self.label)
        if not self.label_params:
            return text
        params = {k: gettext(v) if isinstance(v, str) and v else v for k, v in self.label_params.items()}
        try:
            return text % params
        except (KeyError, TypeError, ValueError):
            return self.label

    def get_absolute_url(self):
        return self.url or "#"

    @property
    def is_pending(self):
        return self.state in (self.State.OPEN, self.State.OVERDUE)

    @property
    def days_left(self):
        return (timezone.localdate(self.due_at) - timezone.localdate()).days

    @property
    def urgency(self):
        if not self.is_pending:
            return "secondary"
        left = self.days_left
        if left < 0:
            return "danger"
        if left <= 2:
            return "warning"
        return "info"


class DeadlineReminder(models.Model):
    """A reminder that went out; the unique key makes a second one impossible."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=30)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "stage"], name="reminder_once_per_stage")]
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")

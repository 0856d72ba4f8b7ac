"""Outreach: events with registration, waiting list and check-in; the public site's articles;
publications of the media matrix; pre-exam practice bases."""
import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.querysets import PublishedQuerySet, ScopedQuerySet

#: roles whose station subtree bounds the events they manage
EVENT_STATION_ROLES = (roles.STATION_STAFF, roles.OUTREACH_STAFF)

mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", _("请输入有效的中国大陆手机号码（11 位，以 1 开头）。"))

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code():
    """A registration's personal check-in code: 12 symbols of a 32-letter alphabet (60 random bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def is_outreach_staff(user):
    return bool(user and user.is_authenticated and (user.is_centre_wide
                                                    or user.has_role(roles.OUTREACH_STAFF)))


def is_event_staff(user):
    return is_outreach_staff(user) or bool(user and user.is_authenticated and user.has_role(roles.STATION_STAFF))


class EventQuerySet(PublishedQuerySet):
    def scope(self, user):
        """Managers all; outreach and station staff their station's subtree (the centre's outreach
        staff therefore every event); everyone else nothing here (they read published events)."""
        return self.by_station(user, "station", station_roles=EVENT_STATION_ROLES)

    def upcoming(self):
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")


class Event(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("培训")
        LECTURE = "lecture", _("讲座")
        OPEN_DAY = "open_day", _("开放日")
        BASE_VISIT = "base_visit", _("实践基地走访")
        SEMINAR = "seminar", _("研讨会")
        ONLINE = "online", _("线上课程")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("面向公众")
        ENTITIES = "entities", _("仅限备案主体")
        INVITED = "invited", _("凭邀请码")

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
    station = models.ForeignKey("accounts.Station", verbose_name=_("主办站点"), on_delete=models.PROTECT,
                                related_name="outreach_events")
    description = models.TextField(_("简介"), blank=True)
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    online_url = models.URLField(_("线上链接"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=0,
                                validators=[MinValueValidator(0), MaxValueValidator(99)])
    capacity = models.PositiveIntegerField(_("名额"), validators=[MinValueValidator(1), MaxValueValidator(100000)])
    registration_opens = models.DateTimeField(_("报名开始"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("报名截止"), null=True, blank=True)
    audience = models.CharField(_("报名对象"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC)
    invite_code = models.CharField(_("邀请码"), max_length=40, blank=True)
    requires_approval = models.BooleanField(_("报名需审核"), default=False)
    materials_public = models.BooleanField(_("资料公开下载"), default=False,
                                           help_text=_("否则仅报名人员在活动结束后可下载。"))
    published = models.BooleanField(_("已发布"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    feedback_sent_at = models.DateTimeField(_("问卷发送时间"), null=True, blank=True)
    attachments = GenericRelation("files.Attachment")

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["published", "starts_at"])]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")),
                                              name="outreach_event_ends_after_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outreach:event-detail", args=[self.pk])

    def get_public_url(self):
        return reverse("outreach:public-event", args=[self.pk])

    @property
    def state(self):
        now = timezone.now()
        if not self.published:
            return "draft"
        if now > self.ends_at:
            return "finished"
        if now >= self.starts_at:
            return "ongoing"
        return "upcoming"

    def get_state_display(self):
        return {"draft": _("未发布"), "finished": _("已结束"), "ongoing": _("进行中"),
                "upcoming": _("未开始")}[self.state]

    def registration_open(self, now=None):
        now = now or timezone.now()
        if not self.published or now > self.ends_at:
            return False
        if self.registration_opens and now < self.registration_opens:
            return False
        if self.registration_closes and now > self.registration_closes:
            return False
        return True


class RegistrationQuerySet(ScopedQuerySet):
    def scope(self, user):
        """Staff: registrations of the events they manage; a registrant: their own."""
        return self.filter(Q(event__in=Event.objects.visible_to(user).values("pk")) | Q(user=user))

    def holding_seats(self):
        return self.filter(state=Registration.State.CONFIRMED)


class Registration(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        CONFIRMED = "confirmed", _("已确认")
        WAITING = "waiting", _("候补")
        CANCELLED = "cancelled", _("已取消")
        REJECTED = "rejected", _("未通过")

    class Source(models.TextChoices):
        ACCOUNT = "account", _("账户报名")
        PUBLIC = "public", _("公众报名")
        WALK_IN = "walk_in", _("现场登记")

    ACTIVE_STATES = (State.PENDING, State.CONFIRMED, State.WAITING)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("活动"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="outreach_registrations", verbose_name=_("账户"))
    name = models.CharField(_("姓名"), max_length=60)
    organization_name = models.CharField(_("单位"), max_length=200, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[mobile_validator])
    email = models.EmailField(_("电子邮箱"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.CONFIRMED)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.PUBLIC)
    code = models.CharField(_("签到码"), max_length=12, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(_("报名时间"), default=timezone.now)
    waiting_since = models.DateTimeField(_("候补时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("签到操作人"))
    no_show = models.BooleanField(_("缺席"), default=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "mobile"], condition=Q(state__in=["pending", "confirmed", "waiting"]),
                                    name="outreach_one_active_registration_per_mobile"),
            models.UniqueConstraint(fields=["event", "user"], condition=Q(state__in=["pending", "confirmed", "waiting"],
                                                                          user__isnull=False),
                                    name="outreach_one_active_registration_per_user"),
        ]
        indexes = [models.Index(fields=["event", "state", "waiting_since"])]

    def __str__(self):
        return f"{self.name} · {self.event}"

    def get_absolute_url(self):
        return reverse("outreach:ticket", args=[self.code])

    @property
    def attended(self):
        return self.checked_in_at is not None

    # --- the attendance certificate: its content and a digest the verification page checks ----
    def certificate_content(self):
        e = self.event
        return "|".join([self.code, self.name, e.title, timezone.localtime(e.starts_at).date().isoformat(),
                         str(e.hours), (self.checked_in_at and self.checked_in_at.isoformat()) or ""])

    def certificate_digest(self):
        key = settings.SECRET_KEY.encode()
        return hashlib.sha256(key + b"outreach.certificate|" + self.certificate_content().encode()).hexdigest()[:20]

    def certificate_matches(self, digest):
        return self.attended and secrets.compare_digest(self.certificate_digest(), digest or "")

    def get_verification_path(self):
        return reverse("outreach:certificate-verify", args=[self.pk, self.certificate_digest()])


class FeedbackQuerySet(ScopedQuerySet):
    """An attendee's rating and comments: visible with their registration."""

    def scope(self, user):
        return self.through_parent(user, "registration")


class Feedback(models.Model):
    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField(_("评分"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("意见建议"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = _("活动反馈")
        verbose_name_plural = _("活动反馈")


class OutreachStaffQuerySet(PublishedQuerySet):
    def scope(self, user):
        return self.all() if is_outreach_staff(user) else self.none()


class Article(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("新闻动态")
        POLICY = "policy", _("政策法规")
        GUIDE = "guide", _("办事指南")

    kind = models.CharField(_("栏目"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("标题"), max_length=200)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), help_text=_("可使用简单的 HTML 标记（段落、标题、列表、链接、加粗）；脚本等不安全内容会被清除。"))
    published = models.BooleanField(_("已发布"), default=False)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("作者"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutreachStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outreach:article-edit", args=[self.pk])

    def get_public_url(self):
        return reverse("outreach:public-article", args=[self.pk])


class Channel(models.TextChoices):
    WEB = "web", _("网站")
    WECHAT = "wechat", _("微信公众号")
    DOUYIN = "douyin", _("抖音")
    JOURNAL = "journal", _("期刊")


class Publication(models.Model):
    class Kind(models.TextChoices):
        JOURNAL_ISSUE = "journal_issue", _("期刊")
        ANIMATION = "animation", _("动漫")
        MICRO_VIDEO = "micro_video", _("微视频")
        ARTICLE = "article", _("文章")
        AWARD = "award", _("获奖")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=200)
    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices)
    number = models.CharField(_("期号/集数"), max_length=40, blank=True)
    published_on = models.DateField(_("发布日期"))
    url = models.URLField(_("链接"), blank=True)
    summary = models.TextField(_("简介"), blank=True)
    views = models.PositiveIntegerField(_("阅读/播放量"), default=0)
    likes = models.PositiveIntegerField(_("点赞"), default=0)
    shares = models.PositiveIntegerField(_("转发"), default=0)
    published = models.BooleanField(_("已发布"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attachments = GenericRelation("files.Attachment")

    objects = OutreachStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("宣传作品")
        verbose_name_plural = _("宣传作品")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["channel", "published_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("outreach:publication-edit", args=[self.pk])


class PracticeBase(models.Model):
    name = models.CharField(_("名称"), max_length=200)
    industry_chain = models.CharField(_("产业链"), max_length=100)
    host_organization = models.CharField(_("依托单位"), max_length=200)
    league = models.ForeignKey("accounts.Station", verbose_name=_("盟市"), on_delete=models.PROTECT,
                               related_name="practice_bases")
    opened_on = models.DateField(_("揭牌日期"))
    firms = models.ManyToManyField("accounts.Organization", blank=True, related_name="practice_bases",
                                   verbose_name=_("入驻企业"))
    published = models.BooleanField(_("已发布"), default=True)

    objects = OutreachStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("预审员实践基地")
        verbose_name_plural = _("预审员实践基地")
        ordering = ["opened_on", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outreach:base-detail", args=[self.pk])


class BaseActivityQuerySet(ScopedQuerySet):
    def scope(self, user):
        return self.through_parent(user, "base")


class BaseActivity(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("走访")
        CASES_GUIDED = "cases_guided", _("指导案件")
        SUGGESTIONS = "suggestions", _("撰写建议")
        PRIOR_ART = "prior_art", _("现有技术检索")

    base = models.ForeignKey(PracticeBase, on_delete=models.CASCADE, related_name="activities",
                             verbose_name=_("实践基地"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("数量"), default=1, validators=[MinValueValidator(1)])
    note = models.CharField(_("说明"), max_length=300, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = BaseActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("基地活动")
        verbose_name_plural = _("基地活动")
        ordering = ["-date", "-pk"]

"""People and places: users, organisations (companies, agencies, ...), the
1+12+N station tree and the centre's technical fields."""
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipcenter.querysets import ScopedQuerySet
from ipcenter.workflow.engine import Transition, Workflow
from ipcenter.workflow.models import Audience

from . import roles
from .rules import is_centre_manager
from .validators import validate_uscc


class TechnicalField(models.Model):
    """A technical field the centre pre-examines (cfg: biology, new materials, ...)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    prescreen_enabled = models.BooleanField(_("开展预审"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("技术领域")
        verbose_name_plural = _("技术领域")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """The name in the viewer's language: the reference fields' names are in the catalogue;
        a field an administrator added shows as typed."""
        return field_name(self.name)


def field_name(name):
    """A technical field's stored (Chinese) name in the active language."""
    from django.utils.translation import gettext

    return gettext(name) if name else name


class StationQuerySet(ScopedQuerySet):
    def scope(self, user):
        """The station network is public reference data for signed-in users."""
        return self.all()

    def subtree_of(self, station):
        if station is None:
            return self.none()
        return self.filter(path__startswith=station.path)

    def leagues(self):
        return self.filter(kind=Station.Kind.LEAGUE)


class Station(models.Model):
    """A node of the 1+12+N network: the centre, a league/city, or a workstation."""

    class Kind(models.TextChoices):
        CENTRE = "centre", _("保护中心")
        LEAGUE = "league", _("盟市分中心")
        WORKSTATION = "workstation", _("工作站")
        MEDIATION = "mediation", _("人民调解工作站")
        OVERSEAS = "overseas", _("海外纠纷应对指导工作站")

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    # Materialised path ("centre/baotou/baotou-rare-earth/") for subtree queries.
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    active = models.BooleanField(_("启用"), default=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("工作站")
        verbose_name_plural = _("工作站")

    def __str__(self):
        return str(self.name)

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent_id else "") + self.code + "/"
        super().save(*args, **kwargs)

    @property
    def short_name(self):
        """League name without the institutional suffix (for charts and tight tables)."""
        return self.name.replace("知识产权保护分中心", "")

    @property
    def depth(self):
        return self.path.count("/") - 1

    def is_within(self, other):
        """True if this station is ``other`` or below it."""
        return other is not None and self.path.startswith(other.path)

    @property
    def league(self):
        """The league/city this station belongs to (None for the centre)."""
        parts = self.path.strip("/").split("/")
        if len(parts) < 2:
            return None
        if self.kind == Station.Kind.LEAGUE:
            return self
        return Station.objects.filter(path=f"{parts[0]}/{parts[1]}/").first()


class OrganizationQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.is_internal:
            return self.all()
        return self.filter(Q(pk=user.organization_id) | Q(pk__in=user.client_organization_ids))


class Organization(models.Model):
    """A company, patent agency, university or institute known to the centre."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("企业")
        AGENCY = "agency", _("专利代理机构")
        UNIVERSITY = "university", _("高校")
        INSTITUTE = "institute", _("科研院所")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACTIVE = "active", _("已启用")
        REJECTED = "rejected", _("已退回")

    name = models.CharField(_("单位名称"), max_length=150)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True, validators=[validate_uscc])
    kind = models.CharField(_("单位类型"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    league = models.ForeignKey(Station, verbose_name=_("所属盟市"), on_delete=models.PROTECT,
                               related_name="organizations", limit_choices_to={"kind": Station.Kind.LEAGUE})
    technical_fields = models.ManyToManyField(TechnicalField, verbose_name=_("技术领域"), blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.PENDING)
    review_note = models.TextField(_("审核意见"), blank=True)
    clients = models.ManyToManyField("self", verbose_name=_("代理的企业"), symmetrical=False, blank=True,
                                     related_name="agencies",
                                     help_text=_("仅对专利代理机构：其代为提交预审的企业。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Supporting documents (营业执照等); downloads are scoped through visible_to.
    attachments = GenericRelation("files.Attachment")

    objects = OrganizationQuerySet.as_manager()

    workflow = Workflow(
        Transition("approve", _("审核通过"), source=[Status.PENDING],
                   target=Status.ACTIVE, allowed=is_centre_manager, style="success"),
        Transition("reject", _("退回"), source=[Status.PENDING],
                   target=Status.REJECTED, allowed=is_centre_manager,
                   comment_required=True, style="danger"),
        Transition("resubmit", _("重新提交审核"), source=[Status.REJECTED],
                   target=Status.PENDING,
                   allowed=lambda user, org: user.organization_id == org.pk),
        state_field="status",
        audience=Audience.PUBLIC,  # the record's external parties follow its progress
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("单位")
        verbose_name_plural = pgettext_lazy("复数", "单位")
        indexes = [models.Index(fields=["status", "league"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("accounts:organization-detail", args=[self.pk])


def person_label(display_name, first_name="", last_name="", username=""):
    """A user's name as shown everywhere, from the ``User.LABEL_FIELDS`` values (so a list that
    reads values instead of users shows the same): the display name, else the full name, else
    the username."""
    if display_name is None and not username:
        return ""  # no user (a left join)
    return display_name or f"{first_name or ''} {last_name or ''}".strip() or username or ""


class User(AbstractUser):
    """A person using the portal.  Roles are groups; membership is the user's
    organisation (external users) or station (centre and station staff)."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    organization = models.ForeignKey(Organization, verbose_name=_("所属单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="members")
    station = models.ForeignKey(Station, verbose_name=_("所属工作站"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="members")
    technical_fields = models.ManyToManyField(TechnicalField, verbose_name=_("负责技术领域"), blank=True,
                                              related_name="examiners",
                                              help_text=_("预审员只处理这些领域的案件。"))
    hired_on = models.DateField(_("入职日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    # the columns ``__str__`` reads: ``User.objects.only("pk", *User.LABEL_FIELDS)`` for pick lists
    LABEL_FIELDS = ("display_name", "first_name", "last_name", "username")

    def __str__(self):
        return person_label(self.display_name, self.first_name, self.last_name, self.username)

    @cached_property
    def roles(self):
        if not self.pk:
            return frozenset()
        names = set(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            names.add(roles.ADMIN)
        return frozenset(names & set(roles.ALL_ROLES))

    def has_role(self, *codes):
        return bool(self.roles & set(codes))

    @property
    def primary_role(self):
        for code in roles.HOME_PRIORITY:
            if code in self.roles:
                return code
        return None

    @property
    def role_labels(self):
        return [roles.ROLE_LABELS[r] for r in roles.HOME_PRIORITY if r in self.roles]

    @property
    def is_internal(self):
        """Centre or station staff (any role that is not an outside organisation's)."""
        return self.is_superuser or bool(self.roles - roles.EXTERNAL_ROLES)

    @property
    def is_centre_wide(self):
        return self.is_superuser or bool(self.roles & roles.CENTRE_WIDE_ROLES)

    @cached_property
    def client_organization_ids(self):
        """Organisations an agency user may act for (its own agency's clients)."""
        if not self.organization_id or not self.has_role(roles.AGENCY):
            return []
        return list(Organization.clients.through.objects.filter(
            from_organization_id=self.organization_id).values_list("to_organization_id", flat=True))

    @cached_property
    def station_scope(self):
        """The stations whose rights-assistance, mediation and deadline records this user
        works on (``ipcenter.querysets.StationScope``): all for centre-wide users, the own
        station's subtree for station staff and mediators, none for everyone else."""
        from ipcenter.querysets import StationScope

        return StationScope.for_user(self)

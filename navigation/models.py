"""Patent-navigation projects (GB/T 39551-2020), their phases, imported patent data,
the applicant alias table, industry-chain taxonomies and report versions."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.querysets import ScopedQuerySet


class ProjectQuerySet(ScopedQuerySet):
    def scope(self, user):
        """Team (lead + members) and managers; nobody else (the client organisation reads
        only the delivered report, through ``NavigationReport``)."""
        if user.is_centre_wide:
            return self.all()
        return self.by_team(user, "members", lead_field="lead")


class NavigationProject(models.Model):
    class Type(models.TextChoices):
        REGIONAL = "regional", _("区域规划类")
        INDUSTRY = "industry", _("产业规划类")
        ENTERPRISE = "enterprise", _("企业经营类")
        RND = "rnd", _("研发活动类")
        TALENT = "talent", _("人才管理类")

    class Status(models.TextChoices):
        ACTIVE = "active", _("进行中")
        DELIVERED = "delivered", _("已交付")
        SUSPENDED = "suspended", _("已暂停")
        CLOSED = "closed", _("已结束")

    name = models.CharField(_("项目名称"), max_length=200)
    project_type = models.CharField(_("项目类型"), max_length=20, choices=Type.choices)
    client_organization = models.ForeignKey("accounts.Organization", verbose_name=_("委托单位"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="navigation_projects")
    internal_client = models.CharField(_("内部委托方"), max_length=200, blank=True,
                                       help_text=_("委托方为中心内部部门时填写"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("项目负责人"), on_delete=models.PROTECT,
                             related_name="navigation_led")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("项目成员"), blank=True,
                                     related_name="navigation_projects")
    topic = models.CharField(_("技术主题"), max_length=200)
    ipc_scope = models.CharField(_("IPC 范围"), max_length=500, blank=True, help_text=_("多个分类号用逗号或分号分隔"))
    regions = models.CharField(_("地域范围"), max_length=300, blank=True)
    year_from = models.PositiveSmallIntegerField(_("起始年份"), null=True, blank=True)
    year_to = models.PositiveSmallIntegerField(_("截止年份"), null=True, blank=True)
    search_strategy = models.TextField(_("检索策略"), blank=True)
    databases = models.CharField(_("数据库"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    header_mapping = models.JSONField(_("记住的字段映射"), default=dict, blank=True)
    chain = models.ForeignKey("IndustryChain", verbose_name=_("产业链"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="projects")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    attachments = GenericRelation("files.Attachment")

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导航项目")
        verbose_name_plural = _("导航项目")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("navigation:project-detail", args=[self.pk])

    def is_team_member(self, user):
        return user.is_centre_wide or self.lead_id == user.pk or \
            self.members.filter(pk=user.pk).exists()

    @property
    def client_label(self):
        return str(self.client_organization) if self.client_organization_id else (self.internal_client or "—")


class PhaseQuerySet(ScopedQuerySet):
    def scope(self, user):
        return self.through_parent(user, "project")


class ProjectPhase(models.Model):
    class Kind(models.TextChoices):
        REQUIREMENTS = "requirements", _("需求分析")
        DESIGN = "design", _("方案设计")
        RETRIEVAL = "retrieval", _("信息检索")
        PROCESSING = "processing", _("数据处理")
        ANALYSIS = "analysis", _("分析评估")
        APPLICATION = "application", _("成果应用")

    project = models.ForeignKey(NavigationProject, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="phases")
    kind = models.CharField(_("阶段"), max_length=16, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("顺序"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("负责人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="navigation_phases")
    due_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    attachments = GenericRelation("files.Attachment")

    objects = PhaseQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="nav_phase_once")]
        verbose_name = _("项目阶段")
        verbose_name_plural = _("项目阶段")

    def __str__(self):
        return f"{self.project} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("navigation:project-detail", args=[self.project_id]) + f"#phase-{self.kind}"

    @property
    def state(self):
        if self.done_at:
            return "done"
        return "running" if self.started_at else "waiting"


class ImportQuerySet(ScopedQuerySet):
    def scope(self, user):
        return self.through_parent(user, "project")


class PatentImport(models.Model):
    """One upload of a patent-database export and its (all-or-nothing) import run."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("待确认映射")
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    class Source(models.TextChoices):
        LENS = "lens", _("Lens.org CSV")
        GOOGLE = "google", _("Google Patents CSV")
        CHINESE = "chinese", _("中文数据库导出（CNIPA/incoPat/PatSnap 等）")
        UNKNOWN = "unknown", _("未识别")

    project = models.ForeignKey(NavigationProject, verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="imports")
    attachment = models.ForeignKey("files.Attachment", verbose_name=_("文件"), on_delete=models.PROTECT,
                                   related_name="+")
    file_kind = models.CharField(_("文件类型"), max_length=8)
    encoding = models.CharField(_("编码"), max_length=16, blank=True)
    source = models.CharField(_("导出格式"), max_length=10, choices=Source.choices, default=Source.UNKNOWN)
    database_name = models.CharField(_("数据来源"), max_length=100, blank=True)
    cutoff_date = models.DateField(_("数据截止日期"), null=True, blank=True)
    headers = models.JSONField(_("表头"), default=list, blank=True)
    header_row = models.PositiveSmallIntegerField(default=1)
    mapping = models.JSONField(_("字段映射"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.UPLOADED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    merged_count = models.PositiveIntegerField(_("合并"), default=0)
    error_count = models.PositiveIntegerField(_("问题行"), default=0)
    errors = models.JSONField(_("问题清单"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    #: the core job that runs the import (its progress, its full error workbook)
    job = models.ForeignKey("reports.ReportJob", verbose_name=_("后台任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")

    objects = ImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("专利数据导入")
        verbose_name_plural = _("专利数据导入")

    def __str__(self):
        return f"{self.attachment.original_name}"

    def get_absolute_url(self):
        return reverse("navigation:import-detail", args=[self.pk])

    @property
    def live_status(self):
        """The status as the page shows it: the job runs inside its own transaction, so a queued
        import whose job is running is shown running."""
        if self.status == self.Status.QUEUED and self.job_id is not None and self.job.status == "running":
            return self.Status.RUNNING
        return self.status

    def shown_errors(self):
        """The kept problems (row, column, problem), each problem in the reader's language."""
        from ipcenter.reports.models import shown_row_problem

        return [{"row": e.get("row"), "column": e.get("column"), "problem": shown_row_problem(
            [e.get("row"), e.get("column"), e.get("problem"), e.get("template"), e.get("params")])}
                for e in self.errors or ()]

    def get_live_status_display(self):
        return self.Status(self.live_status).label


class PatentQuerySet(ScopedQuerySet):
    def scope(self, user):
        return self.through_parent(user, "project")


class LegalStatus(models.TextChoices):
    VALID = "valid", _("有效")
    INVALID = "invalid", _("失效")
    PENDING = "pending", _("审中")
    UNKNOWN = "unknown", _("未知")


class ApplicantKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高校")
    INSTITUTE = "institute", _("科研院所")
    INDIVIDUAL = "individual", _("个人")
    OTHER = "other", _("其他")


class Patent(models.Model):
    """One invention of a project's data set (simple-family members merged into it)."""

    # the composite indexes below all start with the project: no index of its own
    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="patents", db_index=False)
    first_import = models.ForeignKey(PatentImport, on_delete=models.SET_NULL, null=True, related_name="+")
    publication_number = models.CharField(_("公开（公告）号"), max_length=40, blank=True)
    application_number = models.CharField(_("申请号"), max_length=40, blank=True)
    family_key = models.CharField(_("简单同族"), max_length=60, blank=True)
    family_members = models.JSONField(default=list, blank=True)
    family_size = models.PositiveIntegerField(_("同族数"), default=1)
    cited_count = models.PositiveIntegerField(_("被引证次数"), default=0)
    title = models.TextField(_("标题"), blank=True)
    abstract = models.TextField(_("摘要"), blank=True)
    application_date = models.DateField(_("申请日"), null=True, blank=True)
    publication_date = models.DateField(_("公开日"), null=True, blank=True)
    grant_date = models.DateField(_("授权日"), null=True, blank=True)
    application_year = models.PositiveSmallIntegerField(_("申请年"), null=True)
    publication_year = models.PositiveSmallIntegerField(_("公开年"), null=True)
    applicants_text = models.TextField(_("申请人"), blank=True)
    inventors_text = models.TextField(_("发明人"), blank=True)
    ipc_main = models.CharField(_("IPC主分类号"), max_length=40, blank=True)
    ipc_text = models.TextField(_("IPC分类号"), blank=True)
    legal_status_raw = models.CharField(_("法律状态（原文）"), max_length=100, blank=True)
    legal_status = models.CharField(_("法律状态"), max_length=10, choices=LegalStatus.choices,
                                    default=LegalStatus.UNKNOWN)
    address = models.CharField(_("申请人地址"), max_length=300, blank=True)
    country = models.CharField(_("国家/地区"), max_length=8, blank=True)
    province = models.CharField(_("省份"), max_length=20, blank=True)
    city = models.CharField(_("地市"), max_length=20, blank=True)
    applicant_kind = models.CharField(_("第一申请人类型"), max_length=12, choices=ApplicantKind.choices,
                                      default=ApplicantKind.OTHER)

    objects = PatentQuerySet.as_manager()

    class Meta:
        ordering = ["-application_date", "pk"]
        indexes = [
            models.Index(fields=["project", "publication_number"], name="nav_pat_pub"),
            models.Index(fields=["project", "application_number"], name="nav_pat_app"),
            models.Index(fields=["project", "family_key"], name="nav_pat_family"),
            models.Index(fields=["project", "application_year"], name="nav_pat_year"),
        ]
        verbose_name = _("专利")
        verbose_name_plural = _("专利")

    def __str__(self):
        return self.publication_number or self.application_number


class ProjectRowQuerySet(ScopedQuerySet):
    """Rows of a project's data set (applicants, inventors, classifications): visible with the project."""

    def scope(self, user):
        return self.through_parent(user, "project")


class ChainPartQuerySet(ScopedQuerySet):
    """Links, nodes and dictionary terms of a chain: visible with the chain."""

    def scope(self, user):
        return self.through_parent(user, "chain")


class PatentApplicant(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="applicants")
    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="+", db_index=False)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=300)
    normalized = models.CharField(max_length=300)  # indexed with the project (nav_appl_norm)
    kind = models.CharField(max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.OTHER)

    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["project", "normalized"], name="nav_appl_norm")]


class PatentInventor(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="inventors")
    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)

    objects = ProjectRowQuerySet.as_manager()


class PatentClassification(models.Model):
    patent = models.ForeignKey(Patent, on_delete=models.CASCADE, related_name="classifications")
    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="+",
                                db_index=False)  # nav_ipc_sub starts with it
    code = models.CharField(max_length=40)   # "C10J 3/00"
    section = models.CharField(max_length=1)   # "C"
    klass = models.CharField(max_length=3)     # "C10"
    subclass = models.CharField(max_length=4)  # "C10J"
    group = models.CharField(max_length=20)    # "C10J 3/00"
    is_main = models.BooleanField(default=False)

    objects = ProjectRowQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["project", "subclass"], name="nav_ipc_sub")]


class AliasQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.has_role(roles.NAVIGATION_ANALYST) or user.is_centre_wide:
            return self.all()
        return self.none()


class ApplicantAlias(models.Model):
    """An editable alias: this (normalised) name is the same firm as ``canonical``."""

    alias = models.CharField(_("别名"), max_length=300, unique=True)
    canonical = models.CharField(_("标准名称"), max_length=300)

    objects = AliasQuerySet.as_manager()

    class Meta:
        ordering = ["canonical", "alias"]
        verbose_name = _("申请人别名")
        verbose_name_plural = _("申请人别名")

    def __str__(self):
        return f"{self.alias} → {self.canonical}"


class ChainQuerySet(ScopedQuerySet):
    def scope(self, user):
        if user.has_role(roles.NAVIGATION_ANALYST) or user.is_centre_wide:
            return self.all()
        return self.none()


class IndustryChain(models.Model):
    """An editable industry-chain taxonomy: chain → links (上/中/下游) → nodes."""

    name = models.CharField(_("产业链"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)

    objects = ChainQuerySet.as_manager()

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")

    def __str__(self):
        return self.name


class ChainLink(models.Model):
    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="links")
    name = models.CharField(_("环节"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    objects = ChainPartQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "order"]

    def __str__(self):
        return self.name


class NodeQuerySet(ScopedQuerySet):
    def scope(self, user):
        return self.through_parent(user, "link")


class ChainNode(models.Model):
    link = models.ForeignKey(ChainLink, on_delete=models.CASCADE, related_name="nodes")
    name = models.CharField(_("节点"), max_length=100)
    ipc_codes = models.CharField(_("IPC 分类号"), max_length=500, blank=True, help_text=_("前缀，逗号分隔，如 C10J, C07C 29"))
    keywords = models.CharField(_("关键词"), max_length=500, blank=True, help_text=_("逗号分隔，标题或摘要含任一即命中"))
    order = models.PositiveSmallIntegerField(default=0)

    objects = NodeQuerySet.as_manager()

    class Meta:
        ordering = ["link", "order"]

    def __str__(self):
        return self.name

    def ipc_list(self):
        return [c.strip().upper() for c in self.ipc_codes.replace("，", ",").split(",") if c.strip()]

    def keyword_list(self):
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]


class ReportQuerySet(ScopedQuerySet):
    def scope(self, user):
        """The team and managers see every version; users of the client organisation see the
        delivered version only."""
        team = Q(project__in=NavigationProject.objects.visible_to(user).values("pk"))
        if user.organization_id:
            team |= Q(delivered=True, project__client_organization_id=user.organization_id)
        return self.filter(team)


class NavigationReport(models.Model):
    project = models.ForeignKey(NavigationProject, on_delete=models.CASCADE, related_name="reports")
    version = models.PositiveSmallIntegerField(_("版本"))
    title = models.CharField(_("报告标题"), max_length=200)
    sections = models.JSONField(_("章节"), default=list)
    conclusions = models.JSONField(_("结论与建议"), default=dict, blank=True)
    job = models.ForeignKey("reports.ReportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    xlsx_job = models.ForeignKey("reports.ReportJob", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    delivered = models.BooleanField(_("已交付"), default=False)
    delivered_at = models.DateTimeField(_("交付时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="nav_report_version")]
        verbose_name = _("导航报告")
        verbose_name_plural = _("导航报告")

    def __str__(self):
        return f"{self.title} v{self.version}"

    def get_absolute_url(self):
        return reverse("navigation:report-detail", args=[self.pk])


class TechEffectTerm(models.Model):
    """An entry of a chain's editable technology–effect dictionary (技术功效词典): a technical
    branch or an effect, recognised in titles and abstracts by its keywords."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("技术分支")
        EFFECT = "effect", _("技术功效")

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="effect_terms")
    kind = models.CharField(_("类别"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=60)
    keywords = models.CharField(_("关键词"), max_length=300, help_text=_("逗号分隔"))
    order = models.PositiveSmallIntegerField(default=0)

    objects = ChainPartQuerySet.as_manager()

    class Meta:
        ordering = ["chain", "kind", "order"]
        verbose_name = _("技术功效词")
        verbose_name_plural = _("技术功效词典")

    def __str__(self):
        return self.name

    def keyword_list(self):
        return [k.strip() for k in self.keywords.replace("，", ",").split(",") if k.strip()]

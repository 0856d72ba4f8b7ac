"""The timeline: one row per state change, edit or notable action on a record."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may read an event: the record's external parties too, or centre staff only."""

    PUBLIC = "public", _("公开（含申请人/当事人）")
    INTERNAL = "internal", _("内部（仅中心人员）")


class TimelineEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=obj.pk)

    def for_objects(self, queryset):
        """Events of every record of ``queryset`` (one query; no content-type lookups in apps)."""
        ct = ContentType.objects.get_for_model(queryset.model, for_concrete_model=False)
        return self.filter(content_type=ct, object_id__in=queryset.values("pk"))

    def for_viewer(self, user):
        """The events ``user`` may read: centre staff all, everyone else only public ones."""
        if user is not None and user.is_authenticated and user.is_internal:
            return self
        return self.filter(audience=Audience.PUBLIC)

    def delete(self):
        raise PermissionDenied("timeline events cannot be deleted")

    def update(self, **kwargs):
        raise PermissionDenied("timeline events cannot be changed")


class TimelineEvent(models.Model):
    """Who did what to which record, when; ``action`` is a namespaced code such
    as ``prescreen.preexamcase.submit`` (like pretix's LogEntry)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("动作"), max_length=100)
    label = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # the actor's name when the event was written (kept if the account is renamed or removed)
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    audience = models.CharField(_("可见范围"), max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    # ties together the events written while serving one request (or running one task)
    request_id = models.CharField(_("请求编号"), max_length=40, blank=True, db_index=True)
    from_state = models.CharField(_("原状态"), max_length=40, blank=True)
    to_state = models.CharField(_("新状态"), max_length=40, blank=True)
    comment = models.TextField(_("备注"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        verbose_name = _("时间线事件")
        verbose_name_plural = _("时间线事件")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.display_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionDenied("timeline events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("timeline events cannot be deleted")

    @property
    def display_label(self):
        """The action's label in the viewer's language (``ipcenter.workflow.actions``), with
        this event's parameters; events of an unregistered code show their stored label."""
        from .actions import render_label

        return render_label(self)

    @property
    def actor_label(self):
        return self.actor_name or (str(self.actor) if self.actor_id else "")

    @property
    def changes(self):
        return self.data.get("changes", {})

    def _state_label(self, value):
        """A state code shown with its label (the model's choices; ContentType lookups are cached)."""
        if not value:
            return value
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        workflow = getattr(model, "workflow", None)
        try:
            field = model._meta.get_field(workflow.state_field if workflow else "state")
        except Exception:  # noqa: BLE001 - a model without a state field shows the raw code
            return value
        return str(dict(field.flatchoices).get(value, value))

    @property
    def from_label(self):
        return self._state_label(self.from_state)

    @property
    def to_label(self):
        return self._state_label(self.to_state)


class NumberSequence(models.Model):
    """The last number issued for one numbering key and year (``ipcenter.workflow.numbering``)."""

    key = models.CharField(_("编号类别"), max_length=40)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="workflow_numbersequence_key_year")]
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.key} {self.year}: {self.last}"

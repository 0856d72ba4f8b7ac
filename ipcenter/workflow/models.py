"""The timeline: one row per state change, edit or notable action on a record."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimelineEventQuerySet(models.QuerySet):
    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        return self.filter(content_type=ct, object_id=obj.pk).select_related("actor")


class TimelineEvent(models.Model):
    """Who did what to which record, when; ``action`` is a namespaced code such
    as ``prescreen.case.submit`` (like pretix's LogEntry)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(_("动作"), max_length=100)
    label = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
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
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.label or self.action}"

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

"""In-app notifications, each optionally mirrored by an e-mail."""
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipcenter.querysets import ScopedQuerySet


def render_text(text, params):
    """A stored source text (or template) in the active language: the text through the
    catalogue; a parameter ``{"text": …, "params": {…}}`` is itself such a text (a choice
    label, a deadline's name inside a reminder), other values (names, numbers, titles the
    users typed) stay as they are.  A text that no longer takes its parameters shows as
    stored."""
    from django.utils.translation import gettext

    if not text:
        return text or ""
    translated = gettext(text)
    if not params:
        return translated
    values = {}
    for k, v in params.items():
        if isinstance(v, dict) and "text" in v:
            v = render_text(v["text"], v.get("params") or {})
        values[k] = v
    try:
        return translated % values
    except (KeyError, TypeError, ValueError):
        try:
            return text % values
        except (KeyError, TypeError, ValueError):
            return text


class NotificationQuerySet(ScopedQuerySet):
    def scope(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    class EmailStatus(models.TextChoices):
        NONE = "none", _("不发邮件")
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                                  related_name="notifications")
    # the source (Chinese) text, or with ``title_params``/``body_params`` its template:
    # ``display_title``/``display_body`` render it in the viewer's language when shown (rows
    # written before the parameters were kept show their stored text).  A body is mostly the
    # actor's own words (a reason, a note): it goes through the catalogue only if it was given
    # as a translatable text (``body_translatable``).
    title = models.CharField(_("标题"), max_length=300)
    title_params = models.JSONField(_("标题参数"), default=dict, blank=True)
    body = models.TextField(_("内容"), blank=True)
    body_params = models.JSONField(_("内容参数"), default=dict, blank=True)
    body_translatable = models.BooleanField(default=False, editable=False)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    # Idempotency key: the same key is never delivered twice to one recipient.
    key = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    email_status = models.CharField(_("邮件"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.NONE)
    email_sent_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_unique_key_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_status"], name="notify_email_pending_idx",
                         condition=models.Q(email_status="pending")),
        ]

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        """The title in the active language (see ``render_text``)."""
        return render_text(self.title, self.title_params)

    @property
    def display_body(self):
        if not self.body_translatable:
            return self.body
        return render_text(self.body, self.body_params)

    @property
    def is_read(self):
        return self.read_at is not None

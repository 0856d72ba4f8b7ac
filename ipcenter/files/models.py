"""Private uploads shared by all apps: stored under random names outside any
public path, typed by content, downloadable only by those who may see the
record they belong to."""
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from ipcenter.querysets import ScopedQuerySet


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def random_path(instance, filename):
    """Storage name: date folder + random hex; the user's file name is never used."""
    return f"{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def _owner_models():
    from django.apps import apps

    return [m for m in apps.get_models()
            if m is not Attachment and hasattr(m._default_manager, "visible_to")
            and hasattr(m, "attachments")]


class AttachmentQuerySet(ScopedQuerySet):
    def scope(self, user):
        """An attachment is visible with the record it belongs to; one not yet
        attached to anything only to its uploader."""
        q = Q(uploaded_by=user, object_id__isnull=True)
        for model in _owner_models():
            ct = ContentType.objects.get_for_model(model)
            q |= Q(content_type=ct, object_id__in=model._default_manager.visible_to(user).values("pk"))
        return self.filter(q)

    def current(self):
        return self.filter(superseded_by__isnull=True)


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    owner = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(_("用途"), max_length=60)
    label = models.CharField(_("文件类别"), max_length=60, blank=True)
    file = models.FileField(storage=private_storage, upload_to=random_path, max_length=200)
    original_name = models.CharField(_("文件名"), max_length=255)
    mime_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by", verbose_name=_("替代的版本"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("files:download", args=[self.pk])

    @property
    def is_current(self):
        return not hasattr(self, "superseded_by") or self.superseded_by is None

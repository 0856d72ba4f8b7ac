"""Accepting uploads: name, size and real type (magic bytes) are checked against
the rules of the upload's purpose before anything is stored; ZIP-based files and PDFs are
checked for what they expand to (``containers``) before anything parses them, and the stored
name carries the extension of the detected type (``polyglot.html`` that is a PDF is kept as
``polyglot.pdf``)."""
import codecs
import hashlib
import re
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

import filetype
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .containers import DEFAULT_LIMITS, ContainerError, ContainerLimits, check_container
from .models import Attachment

MB = 1024 * 1024
# Kinds a purpose may allow, by detected content: extension → MIME type.
KINDS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "csv": "text/csv",
}
KIND_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)", "png": "PNG", "jpg": "JPEG", "csv": "CSV"}


# The extensions a file of each kind may keep; any other is replaced by the first.
EXTENSIONS = {"pdf": (".pdf",), "docx": (".docx",), "xlsx": (".xlsx",), "png": (".png",),
              "jpg": (".jpg", ".jpeg"), "csv": (".csv",)}


@dataclass(frozen=True)
class UploadRule:
    kinds: tuple
    max_size: int = 20 * MB
    max_pages: int | None = None  # PDFs; None = the core's default limit
    limits: ContainerLimits = DEFAULT_LIMITS  # what a ZIP/PDF of this purpose may expand to


PURPOSES = {
    "generic": UploadRule(("pdf", "docx", "png", "jpg")),
    "report": UploadRule(("pdf", "xlsx"), 200 * MB),
}


def register_purpose(name, kinds, max_size=20 * MB, max_pages=None, limits=DEFAULT_LIMITS):
    """Apps declare what each kind of upload accepts (e.g. case documents); ``limits`` raise
    the container limits for purposes whose files are legitimately large when expanded."""
    PURPOSES[name] = UploadRule(tuple(kinds), max_size, max_pages, limits)


_BAD_NAME = re.compile(r"[\x00-\x1f/\\]|^\.|\.\.")


def clean_filename(name):
    name = (name or "").strip()
    if not name or _BAD_NAME.search(name) or len(name) > 200:
        raise ValidationError(_("文件名“%(name)s”不合法：不能包含路径、控制字符或“..”，且不超过 200 个字符。")
                              % {"name": name[:60]}, code="filename")
    return name


def detect_kind(head, name):
    """The kind of a file by its content; CSV (no magic bytes) by decodable text."""
    guess = filetype.guess(head)
    if guess is not None:
        ext = "jpg" if guess.extension == "jpeg" else guess.extension
        return ext if ext in KINDS else None
    if name.lower().endswith(".csv"):
        try:
            # the head may end inside a multi-byte character: decode it as a prefix
            codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
            return "csv"
        except UnicodeDecodeError:
            try:
                codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
                return "csv"
            except UnicodeDecodeError:
                return None
    return None


CHUNK = 256 * 1024
SPOOL_IN_MEMORY = 1 * MB  # a larger upload is copied to a temporary file, never held whole


@dataclass
class CheckedUpload:
    """An upload copied (in chunks) to a temporary file and checked: its stored name, kind,
    size, SHA-256 and the temporary file itself (positioned at 0)."""
    name: str
    kind: str
    size: int
    sha256: str
    file: object


@contextmanager
def checked_upload(uploaded, purpose, name=None):
    """Copy ``uploaded`` in chunks into a temporary file while hashing it, stopping as soon
    as it passes the purpose's size limit; the type comes from the first chunk's magic
    bytes and containers are checked on the temporary file.  Yields a ``CheckedUpload`` or
    raises ValidationError with a message for the user; the temporary file is removed on
    exit."""
    rule = PURPOSES[purpose]
    name = clean_filename(name if name is not None else getattr(uploaded, "name", ""))
    size = getattr(uploaded, "size", None)
    if size is not None and size > rule.max_size:
        raise ValidationError(_("文件“%(name)s”大小为 %(size)s，超过上限 %(max)s。")
                              % {"name": name, "size": filesizeformat(size), "max": filesizeformat(rule.max_size)},
                              code="size")
    if hasattr(uploaded, "seek"):
        uploaded.seek(0)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=settings.FILE_UPLOAD_TEMP_DIR) as spool:
        digest, size, head = hashlib.sha256(), 0, b""
        while chunk := uploaded.read(CHUNK):
            size += len(chunk)
            if size > rule.max_size:
                raise ValidationError(_("文件“%(name)s”超过大小上限 %(max)s。")
                                      % {"name": name, "max": filesizeformat(rule.max_size)}, code="size")
            if len(head) < 8192:
                head += chunk[:8192 - len(head)]
            digest.update(chunk)
            spool.write(chunk)
        if not size:
            raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name}, code="empty")
        kind = detect_kind(head, name)
        allowed = ", ".join(KIND_LABELS[k] for k in rule.kinds)
        if kind not in rule.kinds:
            raise ValidationError(_("文件“%(name)s”的实际内容不是允许的类型（允许：%(allowed)s）。")
                                  % {"name": name, "allowed": allowed}, code="type")
        spool.seek(0)
        try:
            check_container(spool, kind, name, limits=rule.limits, max_pages=rule.max_pages)
        except ContainerError as exc:
            raise ValidationError(str(exc), code="container")
        spool.seek(0)
        yield CheckedUpload(name_for_kind(name, kind), kind, size, digest.hexdigest(), spool)


def validate_upload(uploaded, purpose, name=None):
    """Check an uploaded file for ``purpose`` (streamed, see ``checked_upload``); returns
    (stored name, kind, size in bytes) or raises ValidationError with a message for the user."""
    with checked_upload(uploaded, purpose, name=name) as checked:
        return checked.name, checked.kind, checked.size


def kind_of(mime_type):
    """The kind (``pdf``, ``docx`` …) of a stored file's MIME type, or ``None``."""
    return next((k for k, mime in KINDS.items() if mime == mime_type), None)


def name_for_kind(name, kind):
    """``name`` with the extension of ``kind`` (the type detected from the content): a PDF
    named ``polyglot.html`` becomes ``polyglot.pdf``; a matching extension is kept as it is."""
    extensions = EXTENSIONS.get(kind)
    if not extensions or name.lower().endswith(extensions):
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 10 or " " in ext:
        stem = name
    return f"{stem}{extensions[0]}"


def store_upload(uploaded, purpose, user, *, owner=None, label="", supersedes=None, name=None):
    """Validate and store an upload; returns the ``Attachment``.  With
    ``supersedes`` the new file becomes the next version of an earlier one.  The upload is
    copied in chunks (never read whole) and stored from the checked temporary copy."""
    with checked_upload(uploaded, purpose, name=name) as checked, transaction.atomic():
        att = Attachment(
            purpose=purpose, label=label, original_name=checked.name, mime_type=KINDS[checked.kind],
            size=checked.size, sha256=checked.sha256, uploaded_by=user,
        )
        if owner is not None:
            att.content_type = ContentType.objects.get_for_model(owner)
            att.object_id = owner.pk
        if supersedes is not None:
            att.supersedes = supersedes
            att.version = supersedes.version + 1
            att.label = label or supersedes.label
        att.file.save("upload", File(checked.file), save=False)
        att.save()
    return att


def parse_attachment_id(value):
    """The attachment id in a submitted value (a form field, a query string), or ``None`` when
    it is not a UUID at all — such a value names no file and must not reach the database."""
    try:
        return uuid.UUID(str(value).strip())
    except (TypeError, ValueError, AttributeError):
        return None


def discard(attachment):
    """Delete an attachment row now and its stored file once the transaction commits."""
    storage, stored_name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if stored_name:
        transaction.on_commit(lambda: storage.delete(stored_name))


def attach(attachments, owner):
    """Bind previously uploaded (unattached) files to ``owner``."""
    ct = ContentType.objects.get_for_model(owner)
    return Attachment.objects.filter(pk__in=[a.pk for a in attachments], object_id__isnull=True).update(
        content_type=ct, object_id=owner.pk)


def attachments_of(owner, current_only=True):
    """The attachments of one record, or of every record of a queryset (one query, no content
    type spelled by the caller)."""
    from django.db.models import QuerySet

    if isinstance(owner, QuerySet):
        qs = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(owner.model),
                                       object_id__in=owner.values("pk"))
    else:
        qs = Attachment.objects.filter(content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk)
    if current_only:
        qs = qs.current()
    return qs.select_related("uploaded_by")

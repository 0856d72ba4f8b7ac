"""Downloads of private files: only through visible_to, with the original name."""
import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ipcenter.reports.xlsx import content_disposition

from .models import Attachment
from .services import kind_of, name_for_kind

log = logging.getLogger(__name__)


@login_required
def download(request, pk):
    att = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    inline = request.GET.get("inline") == "1" and att.mime_type in ("application/pdf", "image/png", "image/jpeg")
    try:
        fh = att.file.open("rb")
    except (FileNotFoundError, ValueError):
        # the row exists but its file is gone (restored database, lost volume): say so, and
        # let operations know — never a 500
        log.error("attachment %s: stored file %r is missing", att.pk, att.file.name)
        raise Http404(_("文件“%(name)s”已不在存储中，请联系管理员。") % {"name": att.original_name})
    response = FileResponse(fh, content_type=att.mime_type)
    # the name's extension always says what the content is (rows stored before names were
    # corrected may still carry the client's extension)
    name = name_for_kind(att.original_name, kind_of(att.mime_type))
    response["Content-Disposition"] = content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

"""Downloads of private files: only through visible_to, with the original name."""
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404

from ipcenter.reports.xlsx import content_disposition

from .models import Attachment


@login_required
def download(request, pk):
    att = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    inline = request.GET.get("inline") == "1" and att.mime_type in ("application/pdf", "image/png", "image/jpeg")
    response = FileResponse(att.file.open("rb"), content_type=att.mime_type)
    response["Content-Disposition"] = content_disposition(att.original_name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

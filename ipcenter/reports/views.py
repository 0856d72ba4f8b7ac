"""Report job pages: request, live progress (htmx polling) and download."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .models import ReportJob
from .registry import REPORT_KINDS
from .xlsx import content_disposition


@login_required
def job_list(request):
    jobs = ReportJob.objects.visible_to(request.user)[:50]
    kinds = [k for k in REPORT_KINDS.values() if request.user.has_perm(k.permission)]
    return render(request, "reports/job_list.html", {"jobs": jobs, "kinds": kinds})


@login_required
@require_POST
def request_job(request, kind):
    if kind not in REPORT_KINDS:
        raise Http404
    params = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken",)}
    try:
        job = services.request_report(kind, request.user, params=params)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("reports:list")
    return redirect(job.get_absolute_url())


@login_required
def job_detail(request, pk):
    job = get_object_or_404(ReportJob.objects.visible_to(request.user), pk=pk)
    template = "reports/_job_status.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def job_download(request, pk):
    job = get_object_or_404(ReportJob.objects.visible_to(request.user), pk=pk, status=ReportJob.Status.DONE)
    response = FileResponse(job.result.open("rb"), content_type=job.result_type)
    response["Content-Disposition"] = content_disposition(job.result_name, inline=request.GET.get("inline") == "1")
    return response

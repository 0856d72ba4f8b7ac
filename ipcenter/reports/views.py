"""Background job pages: request (the kind's parameter form), live progress (htmx polling),
download of the result and of an import's error list, and a new run of an expired job."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from ipcenter.forms import apply_errors

from . import services
from .models import Job
from .registry import REPORT_KINDS
from .xlsx import content_disposition


def _requestable(kind, user):
    spec = REPORT_KINDS.get(kind)
    if spec is None or not spec.requestable or not services.may_request(spec, user):
        return None
    return spec


@login_required
def job_list(request):
    jobs = Job.objects.visible_to(request.user).select_related("requested_by")[:50]
    kinds = [k for k in REPORT_KINDS.values() if _requestable(k.code, request.user)]
    return render(request, "reports/job_list.html", {
        "jobs": jobs, "kinds": [k for k in kinds if not k.is_import], "imports": [k for k in kinds if k.is_import]})


def _render_request(request, spec, form, status=200):
    return render(request, "reports/job_request.html", {"spec": spec, "form": form}, status=status)


@login_required
def request_job(request, kind):
    """GET: the kind's parameter form.  POST: validate and queue; bad input re-renders the form
    with its field errors (400) and creates nothing."""
    spec = REPORT_KINDS.get(kind)
    if spec is None or not spec.requestable:
        raise Http404
    if not services.may_request(spec, request.user):
        if request.method == "POST":
            messages.error(request, _("您没有权限生成该报表。"))
            return redirect("reports:list")
        raise PermissionDenied(_("您没有权限生成该报表。"))
    if request.method != "POST":
        return _render_request(request, spec, services.kind_form(spec, request.user))
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        job = services.request_job(kind, request.user, params=params, files=request.FILES)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("reports:list")
    except ValidationError as exc:
        form = services.kind_form(spec, request.user, params, request.FILES)
        if form is None:
            messages.error(request, "；".join(exc.messages))
            return redirect("reports:list")
        form.is_valid()
        if not form.errors:
            apply_errors(form, exc)
        return _render_request(request, spec, form, status=400)
    return redirect(job.get_absolute_url())


def _visible_job(request, pk):
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("requested_by", "target_type"),
                             pk=pk)


def _target_of(job, user):
    """The job's target record when the viewer may see it (for the link on the page)."""
    if job.target_id is None or job.target_type_id is None:
        return None
    model = job.target_type.model_class()
    if model is None or not hasattr(model._default_manager, "visible_to"):
        return None
    return model._default_manager.visible_to(user).filter(pk=job.target_id).first()


@login_required
def job_detail(request, pk):
    job = _visible_job(request, pk)
    progress, message = job.live_progress
    spec = job.spec
    ctx = {"job": job, "progress": progress, "step": message, "target": _target_of(job, request.user),
           "can_rerun": spec is not None and not spec.is_import and job.requested_by_id == request.user.pk
           and spec.get_target_model() is None}
    template = "reports/_job_status.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, ctx)


def _file_response(request, field, filename, content_type):
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=request.GET.get("inline") == "1")
    return response


@login_required
def job_download(request, pk):
    job = _visible_job(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        return redirect(job.get_absolute_url())
    return _file_response(request, job.result, job.result_name, job.result_type)


@login_required
def job_errors(request, pk):
    """An import's complete error list as XLSX."""
    from .xlsx import XLSX_TYPE

    job = _visible_job(request, pk)
    if not job.error_report:
        return redirect(job.get_absolute_url())
    return _file_response(request, job.error_report, f"错误清单-{job.title}.xlsx", XLSX_TYPE)


@login_required
@require_POST
def job_rerun(request, pk):
    job = _visible_job(request, pk)
    if job.requested_by_id != request.user.pk:
        raise Http404
    try:
        new = services.rerun(job, request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(job.get_absolute_url())
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(job.get_absolute_url())
    return redirect(new.get_absolute_url())


class GeneratedFileView(LoginRequiredMixin, View):
    """A record's file that a job makes (an opinion letter, a mediation agreement): the stored
    file when it exists; otherwise the page of the job making it, which reloads itself (202)
    until the file is there; a failed or expired job can be started again (POST).

    Subclasses set ``kind`` and implement ``get_target(request, pk)`` → ``(record, target)``
    (``record`` is what the page links back to; both already scoped with ``visible_to``) and
    ``stored(target)`` → the stored ``Attachment`` id or ``None``; ``title`` names the file."""

    kind = None
    title = ""
    template_name = "reports/generated_file_pending.html"

    def get_target(self, request, pk):  # pragma: no cover - subclasses
        raise NotImplementedError

    def stored(self, target):  # pragma: no cover - subclasses
        raise NotImplementedError

    def get(self, request, pk):
        record, target = self.get_target(request, pk)
        attachment_id = self.stored(target)
        if attachment_id:
            return redirect("files:download", attachment_id)
        job = (Job.objects.visible_to(request.user).for_target(target).filter(kind=self.kind)
               .order_by("-created_at").first())
        if job is None or job.status == Job.Status.DONE:  # none yet, or done before the file was kept
            job = services.job_for(self.kind, target, request.user)
        return render(request, self.template_name, {"object": record, "target": target, "job": job,
                                                    "title": self.title}, status=202)

    def post(self, request, pk):
        record, target = self.get_target(request, pk)
        if not self.stored(target):
            services.job_for(self.kind, target, request.user)
        return redirect(request.path)

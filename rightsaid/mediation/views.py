"""Pages of people's mediation: the dispute list, registration, the dispute page with one form
per step, the agreement PDF and the public verification page (no personal data)."""
import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ipcenter.forms import apply_errors
from ipcenter.generic import Column, ObjectDetailView, ObjectListView, PredicateRequiredMixin
from ipcenter.workflow.engine import TransitionNotAllowed

from . import forms, services
from .filters import DisputeFilterSet
from .models import Agreement, Dispute, MediationSettings, is_case_worker


class WorkerRequiredMixin(PredicateRequiredMixin):
    required = is_case_worker


class DisputeListView(WorkerRequiredMixin, ObjectListView):
    model = Dispute
    filterset_class = DisputeFilterSet
    default_sort = "-created_at"
    title = gettext_lazy("人民调解")
    create_label = gettext_lazy("登记纠纷")
    template_name = "mediation/list.html"
    columns = [
        Column("number", gettext_lazy("案号"), sort="number", link=True),
        Column("subject", gettext_lazy("纠纷事由"), link=True),
        Column("ip_type", gettext_lazy("类型"), sort="ip_type"),
        Column("station.name", gettext_lazy("工作站"), sort="station__path"),
        Column("mediator", gettext_lazy("调解员"), value=lambda d: str(d.mediator) if d.mediator_id else ""),
        Column("state", gettext_lazy("状态"), sort="state", badge=True),
        Column("due_date", gettext_lazy("调解期限"), sort="due_date"),
        Column("created_at", gettext_lazy("登记时间"), sort="created_at"),
    ]

    def refine_queryset(self, qs):
        return qs.select_related("station", "mediator")

    def get_create_url(self):
        return reverse("mediation:create")


class DisputeCreateView(WorkerRequiredMixin, View):
    def _render(self, request, form, status=200):
        return render(request, "rightsaid/form.html", {"form": form, "title": _("登记调解纠纷")}, status=status)

    def get(self, request):
        return self._render(request, forms.DisputeForm(user=request.user))

    def post(self, request):
        form = forms.DisputeForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                dispute = services.create_dispute(request.user, subject=d["subject"], ip_type=d["ip_type"],
                                                  parties=form.parties(), amount=d["amount"],
                                                  description=d["description"], station=d["station"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已登记纠纷 %(n)s。") % {"n": dispute.number})
                return redirect(dispute)
        return self._render(request, form, status=400)


FORMS = {
    "party": forms.PartyForm, "consent": forms.ConsentForm, "assign": forms.AssignForm,
    "session": forms.SessionForm, "extend": forms.ExtendForm, "agreement": forms.AgreementForm,
    "fail": forms.FailForm, "confirmation": forms.ConfirmationForm, "withdraw": forms.WithdrawForm,
}


def _make_form(name, dispute, data=None, files=None):
    cls = FORMS[name]
    kwargs = {"dispute": dispute} if name == "consent" else {}
    return cls(data, files, prefix=name, **kwargs) if data is not None else cls(prefix=name, **kwargs)


class DisputeDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = Dispute
    template_name = "mediation/detail.html"

    def refine_queryset(self, qs):
        return qs.select_related("station", "mediator", "created_by")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        d = self.object
        S = Dispute.State
        ctx["transitions"] = [t for t in ctx["transitions"] if t.name in ("request_consent", "start")]
        ctx["parties"] = d.parties.select_related("consent_document")
        ctx["sessions"] = d.sessions.all()
        ctx["extension"] = d.extensions.first()
        ctx["agreement"] = Agreement.objects.filter(dispute=d).select_related("pdf").first()  # scoped: of the dispute
        ctx["confirmation"] = getattr(d, "confirmation", None) if d.state == S.CONFIRMED else None
        ctx["confirmation_deadlines"] = services.confirmation_deadlines(d) if d.state == S.AGREEMENT else []
        ctx["confirmation_window_days"] = MediationSettings.load().confirmation_window_days
        wanted = []
        if d.state in (S.REGISTERED, S.AWAITING_CONSENT):
            wanted.append("party")
        if d.state in (S.REGISTERED, S.AWAITING_CONSENT, S.CONSENTED, S.MEDIATOR_ASSIGNED) \
                and any(not p.consent_given_at for p in ctx["parties"]):
            wanted.append("consent")
        if d.state in (S.AWAITING_CONSENT, S.CONSENTED, S.MEDIATOR_ASSIGNED):
            wanted.append("assign")
        if d.state in (S.MEDIATOR_ASSIGNED, S.IN_MEDIATION):
            wanted.append("session")
        if d.state == S.IN_MEDIATION:
            wanted += ["agreement", "fail"] + ([] if ctx["extension"] else ["extend"])
        if d.state == S.AGREEMENT:
            wanted.append("confirmation")
        if d.is_open:
            wanted.append("withdraw")
        bound = kwargs.get("bound_forms", {})
        ctx["step_forms"] = {name: bound.get(name) or _make_form(name, d) for name in wanted}
        ctx["missing_consents"] = services.missing_consents(d)
        return ctx


class DisputeActionView(WorkerRequiredMixin, View):
    """POST one step's form; errors re-render the dispute page with the form (400)."""

    def post(self, request, pk, step):
        dispute = get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)
        user = request.user
        if step in ("request_consent", "start"):
            try:
                services.run_named_transition(dispute, step, user, request.POST.get("comment", ""))
            except (ValidationError, TransitionNotAllowed) as exc:
                messages.error(request, " ".join(exc.messages))
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("无权执行此操作。"))
            return redirect(dispute)
        if step not in FORMS:
            raise Http404
        form = _make_form(step, dispute, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            try:
                if step == "party":
                    services.add_party(dispute, user, **d)
                elif step == "consent":
                    services.record_consent(d["party"], user, document=d["document"])
                elif step == "assign":
                    services.assign_mediator(dispute, user, d["mediator"], declaration=d["declaration"],
                                             confirmed=d["confirmed"])
                elif step == "session":
                    services.log_session(dispute, user, **d)
                elif step == "extend":
                    services.extend_term(dispute, user, reason=d["reason"], new_due_date=d["new_due_date"])
                elif step == "agreement":
                    services.reach_agreement(dispute, user, terms=d["terms"], signed_on=d["signed_on"])
                elif step == "fail":
                    services.fail_mediation(dispute, user, referral=d["referral"], note=d["note"])
                elif step == "confirmation":
                    services.record_confirmation(dispute, user, **d)
                elif step == "withdraw":
                    services.withdraw(dispute, user, d["comment"])
            except (ValidationError, TransitionNotAllowed) as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("无权执行此操作。"))
            else:
                messages.success(request, _("已保存。"))
                return redirect(dispute)
        view = DisputeDetailView()
        view.setup(request, pk=pk)
        view.object = get_object_or_404(view.get_queryset(), pk=pk)
        ctx = view.get_context_data(object=view.object, bound_forms={step: form})
        ctx["step_forms"][step] = form
        return render(request, "mediation/detail.html", ctx, status=400)


class AgreementPdfView(WorkerRequiredMixin, View):
    def get(self, request, pk):
        dispute = get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)
        agreement = Agreement.objects.filter(dispute=dispute, pdf__isnull=False).first()  # scoped: of the dispute
        if agreement is None:
            raise Http404
        return redirect("files:download", agreement.pdf_id)


class VerifyView(View):
    """Public: the QR code of an agreement opens this page.  It shows the agreement number, the
    signing date and whether the registered content still matches its hash — nothing personal."""

    def _agreement(self, token):
        return get_object_or_404(Agreement.objects.select_related("dispute__mediator", "pdf"), token=token)  # scoped: public check by unguessable token

    def _context(self, agreement, prefix, **extra):
        return {"agreement": agreement, "genuine": agreement.matches(prefix), "form": forms.VerifyFileForm(),
                **extra}

    def get(self, request, token, prefix):
        agreement = self._agreement(token)
        return render(request, "mediation/verify.html", self._context(agreement, prefix))

    def post(self, request, token, prefix):
        agreement = self._agreement(token)
        form = forms.VerifyFileForm(request.POST, request.FILES)
        file_match = None
        if form.is_valid():
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["file"].chunks():
                digest.update(chunk)
            file_match = bool(agreement.pdf) and digest.hexdigest() == agreement.pdf.sha256
        ctx = self._context(agreement, prefix, file_match=file_match)
        ctx["form"] = form
        return render(request, "mediation/verify.html", ctx, status=200 if form.is_valid() else 400)

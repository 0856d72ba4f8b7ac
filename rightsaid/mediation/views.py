"""Pages of people's mediation: the dispute list, registration, the dispute page with one form
per step, the agreement PDF and the public verification page (no personal data)."""
import hashlib

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from ipcenter.generic import (ActionForm, Column, ObjectActionView, ObjectCreateView, ObjectDetailView,
                              ObjectListView, PredicateRequiredMixin, Step)

from ipcenter.reports.views import GeneratedFileView

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


class DisputeCreateView(WorkerRequiredMixin, ObjectCreateView):
    form_class = forms.DisputeForm
    template_name = "rightsaid/form.html"
    title = gettext_lazy("登记调解纠纷")
    success_message = gettext_lazy("已登记纠纷 %(number)s。")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def create(self, form):
        d = form.cleaned_data
        return services.create_dispute(self.request.user, subject=d["subject"], ip_type=d["ip_type"],
                                       parties=form.parties(), amount=d["amount"],
                                       description=d["description"], station=d["station"])


def _consent(dispute, user, *, party, document):
    return services.record_consent(party, user, document=document)


#: one form per step on the dispute page: (form, the service it calls, the workflow transition the
#: step runs — the page offers it when the workflow does — or the rule that offers a step that is
#: no transition)
STEPS = {
    "party": (forms.PartyForm, services.add_party, None, services.takes_parties),
    "consent": (forms.ConsentForm, _consent, None, services.takes_consents),
    "assign": (forms.AssignForm, services.assign_mediator, "assign_mediator", None),
    "session": (forms.MediationSessionForm, services.log_session, None, services.takes_sessions),
    "extend": (forms.ExtendForm, services.extend_term, None, services.may_extend),
    "agreement": (forms.AgreementForm, services.reach_agreement, "reach_agreement", None),
    "fail": (forms.FailForm, services.fail_mediation, "fail", None),
    "confirmation": (forms.ConfirmationForm, services.record_confirmation, "record_confirmation", None),
    "withdraw": (forms.WithdrawForm, services.withdraw, "withdraw", None),
}


def _form_kwargs(name, dispute):
    return {"prefix": name, **({"dispute": dispute} if name == "consent" else {})}


class DisputeDetailView(WorkerRequiredMixin, ObjectDetailView):
    model = Dispute
    template_name = "mediation/detail.html"
    action_forms = tuple(
        ActionForm(f"{name}_form", form_class, transition=transition, allowed=allowed,
                   kwargs=lambda view, obj, name=name: _form_kwargs(name, obj))
        for name, (form_class, _service, transition, allowed) in STEPS.items())

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
        ctx["step_forms"] = {name: ctx[f"{name}_form"] for name in STEPS if f"{name}_form" in ctx}
        ctx["missing_consents"] = services.missing_consents(d)
        return ctx


def _button(name):
    return Step(lambda dispute, user: services.run_named_transition(dispute, name, user), success_message="")


class DisputeActionView(WorkerRequiredMixin, ObjectActionView):
    """POST one step's form; errors re-render the dispute page with the form (400).  The
    buttons without a form (征求同意, 开始调解) run their transition."""

    model = Dispute
    detail_view = DisputeDetailView
    action_kwarg = "step"
    actions = {
        **{name: Step(service, form_class, f"{name}_form") for name, (form_class, service, _t, _a) in STEPS.items()},
        "request_consent": _button("request_consent"),
        "start": _button("start"),
    }

    def get_form_kwargs(self):
        return _form_kwargs(self.kwargs["step"], self.object)

    def get_success_url(self, obj, result):
        return obj.get_absolute_url()


class AgreementPdfView(WorkerRequiredMixin, GeneratedFileView):
    """The stored agreement PDF, or the page of the job making it (the core's generated-file view)."""

    kind = services.AGREEMENT_JOB
    title = gettext_lazy("调解协议书")

    def get_target(self, request, pk):
        dispute = get_object_or_404(Dispute.objects.visible_to(request.user), pk=pk)
        agreement = Agreement.objects.filter(dispute=dispute).first()  # scoped: of the dispute
        if agreement is None:
            raise Http404
        return dispute, agreement

    def stored(self, agreement):
        return agreement.pdf_id


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

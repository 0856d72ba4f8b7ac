"""Pages of accounts: sign-up, profile, organisations and the station network."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from ipcenter.generic import Column, ObjectDetailView, ObjectEditView, ObjectListView, TransitionView

from . import services
from .filters import OrganizationFilterSet
from .forms import OrganizationForm, ProfileForm, SignUpForm
from .models import Organization, Station


@sensitive_post_parameters("password1", "password2")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = services.sign_up_applicant(
            username=d["username"], password=d["password1"], email=d["email"], display_name=d["display_name"],
            phone=d["phone"], fields=d["technical_fields"],
            org_data={"name": d["org_name"], "uscc": d["uscc"], "kind": d["kind"], "league": d["league"],
                      "address": d["address"], "contact_name": d["display_name"], "contact_phone": d["phone"],
                      "contact_email": d["email"]},
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功。贵单位信息已提交，中心审核通过后即可办理业务。"))
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("个人信息已保存。"))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


class OrganizationListView(PermissionRequiredMixin, ObjectListView):
    permission_required = "accounts.review_organization"
    model = Organization
    filterset_class = OrganizationFilterSet
    default_sort = "name"
    columns = [
        Column("name", gettext_lazy("单位名称"), sort="name", link=True),
        Column("uscc", gettext_lazy("统一社会信用代码")),
        Column("kind", gettext_lazy("类型"), sort="kind"),
        Column("league.name", gettext_lazy("盟市"), sort="league__path"),
        Column("status", gettext_lazy("状态"), sort="status", badge=True),
        Column("member_count", gettext_lazy("用户数"), sort="member_count"),
        Column("created_at", gettext_lazy("注册时间"), sort="created_at"),
    ]

    def refine_queryset(self, queryset):
        return queryset.select_related("league").annotate(member_count=Count("members"))


class OrganizationDetailView(ObjectDetailView):
    model = Organization
    template_name = "accounts/organization_detail.html"
    transition_url_name = "accounts:organization-transition"

    def refine_queryset(self, queryset):
        return queryset.select_related("league").prefetch_related("technical_fields", "clients")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = self.object.members.order_by("username")
        ctx["can_edit"] = self.request.user.is_centre_wide or self.request.user.organization_id == self.object.pk
        return ctx


class OrganizationEditView(ObjectEditView):
    model = Organization
    form_class = OrganizationForm
    audit_fields = ["name", "address", "contact_name", "contact_phone", "contact_email"]

    def refine_queryset(self, queryset):
        user = self.request.user
        return queryset if user.is_centre_wide else queryset.filter(pk=user.organization_id)


class OrganizationTransitionView(TransitionView):
    model = Organization

    def perform(self, obj, name, comment):
        return services.review_organization(obj, name, self.request.user, comment)


@login_required
def station_tree(request):
    stations = list(Station.objects.visible_to(request.user).annotate(member_count=Count("members")))
    leagues = [s for s in stations if s.kind == Station.Kind.LEAGUE]
    by_parent = {}
    for s in stations:
        by_parent.setdefault(s.parent_id, []).append(s)
    centre = next((s for s in stations if s.kind == Station.Kind.CENTRE), None)
    tree = [(league, by_parent.get(league.pk, [])) for league in leagues]
    direct = [s for s in by_parent.get(centre.pk if centre else None, []) if s.kind != Station.Kind.LEAGUE]
    return render(request, "accounts/station_tree.html", {
        "centre": centre, "tree": tree, "direct": direct,
        "total": len(stations) - (1 if centre else 0),
        "own_path": request.user.station.path if request.user.station_id else None,
    })

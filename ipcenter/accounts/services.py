"""Account rules: applicant self-sign-up and the review of new organisations."""
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.notify.services import notify, notify_role
from ipcenter.workflow.engine import record_event, run_transition

from . import roles
from .models import Organization, User

def require_reviewed_organization(org, field="organization"):
    """Until the centre has approved an organisation it can only complete its profile: no
    备案, no drafts, no uploads, no pre-check.  Raises a field error naming its state."""
    from django.core.exceptions import ValidationError

    if org is None or org.status != Organization.Status.ACTIVE:
        state = org.get_status_display() if org is not None else _("无")
        raise ValidationError({field: _("本单位尚未通过中心审核（当前状态：%(state)s），审核通过后才能办理此事项。")
                               % {"state": state}}, code="organization_not_reviewed")


def assign_roles(user, *codes):
    """Put ``user`` in the groups of the given roles."""
    groups = [Group.objects.get_or_create(name=code)[0] for code in codes]
    user.groups.add(*groups)
    user.__dict__.pop("roles", None)


@transaction.atomic
def sign_up_applicant(*, username, password, email, display_name, phone, org_data, fields=()):
    """An outside company or agency registers: the organisation starts as pending
    review; the user can log in and complete the profile meanwhile."""
    kind = org_data.get("kind", Organization.Kind.COMPANY)
    org = Organization.objects.create(status=Organization.Status.PENDING, **org_data)
    if fields:
        org.technical_fields.set(fields)
    user = User(username=username, email=email, display_name=display_name, phone=phone, organization=org)
    user.set_password(password)
    user.save()
    assign_roles(user, roles.AGENCY if kind == Organization.Kind.AGENCY else roles.APPLICANT)
    record_event(org, "accounts.organization.signup", user,
                 to_state=org.status)
    notify_role(roles.MANAGER, title=gettext_lazy("新单位注册待审核：%(name)s"), title_params={"name": org.name},
                url=org.get_absolute_url(), target=org)
    return user


def review_organization(org, action, user, comment=""):
    """Approve or return a pending organisation; its members are told the result."""
    org = run_transition(org, action, user, comment)
    if action == "approve":
        title, params = gettext_lazy("贵单位“%(name)s”已通过审核。"), {"name": org.name}
    elif action == "reject":
        title, params = gettext_lazy("贵单位“%(name)s”的注册被退回：%(reason)s"), {"name": org.name, "reason": comment}
    else:
        return org
    notify(org.members.filter(is_active=True), title=title, title_params=params, url=org.get_absolute_url(),
           target=org)
    return org

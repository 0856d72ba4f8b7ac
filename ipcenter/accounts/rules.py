"""Permission predicates (django-rules) shared by every app."""
import rules

from . import roles


def has_role(*codes):
    name = "has_role:" + ",".join(codes)

    @rules.predicate(name=name)
    def _pred(user, obj=None):
        return bool(user and user.is_authenticated and user.has_role(*codes))

    return _pred


is_applicant = has_role(roles.APPLICANT)
is_agency = has_role(roles.AGENCY)
is_examiner = has_role(roles.EXAMINER)
is_qc_reviewer = has_role(roles.QC_REVIEWER)
is_station_staff = has_role(roles.STATION_STAFF)
is_mediator = has_role(roles.MEDIATOR)
is_navigation_analyst = has_role(roles.NAVIGATION_ANALYST)
is_outreach_staff = has_role(roles.OUTREACH_STAFF)
is_manager = has_role(roles.MANAGER, roles.ADMIN)


@rules.predicate
def is_superuser(user, obj=None):
    return bool(user and user.is_superuser)


@rules.predicate
def is_centre_wide(user, obj=None):
    """Sees and decides for the whole centre: ``user.is_centre_wide`` (manager, admin, superuser)."""
    return bool(user and user.is_authenticated and user.is_centre_wide)


is_centre_manager = is_centre_wide  # the name the apps' rules use for the same predicate


@rules.predicate
def is_internal(user, obj=None):
    return bool(user and user.is_authenticated and user.is_internal)


rules.add_perm("accounts.review_organization", is_centre_manager)
rules.add_perm("accounts.view_station_tree", is_internal)
rules.add_perm("stats.view_dashboard", is_centre_manager | is_station_staff)  # station staff: own subtree
rules.add_perm("reports.run_report", is_internal)

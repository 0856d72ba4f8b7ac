"""Roles of the portal.  Each role is a Django group (created by a data
migration) so permissions stay admin-editable; rules predicates test them."""
from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
AGENCY = "agency"
EXAMINER = "examiner"
QC_REVIEWER = "qc_reviewer"
STATION_STAFF = "station_staff"
MEDIATOR = "mediator"
NAVIGATION_ANALYST = "navigation_analyst"
OUTREACH_STAFF = "outreach_staff"
MANAGER = "manager"
ADMIN = "admin"

ROLE_CHOICES = [
    (APPLICANT, _("申请人（企业用户）")),
    (AGENCY, _("代理机构")),
    (EXAMINER, _("预审员")),
    (QC_REVIEWER, _("质检员")),
    (STATION_STAFF, _("工作站人员")),
    (MEDIATOR, _("调解员")),
    (NAVIGATION_ANALYST, _("导航分析师")),
    (OUTREACH_STAFF, _("宣传培训人员")),
    (MANAGER, _("中心管理人员")),
    (ADMIN, _("系统管理员")),
]
ROLE_LABELS = dict(ROLE_CHOICES)
ALL_ROLES = [code for code, _label in ROLE_CHOICES]

# Roles that belong to an organisation outside the centre.
EXTERNAL_ROLES = {APPLICANT, AGENCY}
# Roles that see every record of the centre.
CENTRE_WIDE_ROLES = {MANAGER, ADMIN}
# Order used to pick the home page of a user with several roles.
HOME_PRIORITY = [ADMIN, MANAGER, QC_REVIEWER, EXAMINER, MEDIATOR, STATION_STAFF,
                 NAVIGATION_ANALYST, OUTREACH_STAFF, AGENCY, APPLICANT]

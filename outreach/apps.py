from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import MenuItem, PortalAppConfig, UploadPurpose

MB = 1024 * 1024


class OutreachConfig(PortalAppConfig):
    name = "outreach"
    verbose_name = _("宣传培训")
    url_prefix = "outreach/"
    api_prefix = "outreach/"
    public_home = "outreach:public-home"  # anonymous visitors of "/" see the public site
    menu = (MenuItem(_("宣传培训"), "outreach:index", frozenset({
        roles.OUTREACH_STAFF, roles.STATION_STAFF, roles.MANAGER, roles.ADMIN, roles.APPLICANT}), order=60),)
    beat_schedule = {
        "outreach-feedback-requests": {"task": "outreach.tasks.send_feedback_requests",
                                       "schedule": crontab(minute=20)},
    }
    upload_purposes = (UploadPurpose("outreach.material", ("pdf", "docx", "png", "jpg"), 50 * MB),
                       UploadPurpose("outreach.publication", ("pdf",), 100 * MB),
                       UploadPurpose("outreach.reach_csv", ("csv",), 10 * MB))
    state_colours = {"confirmed": "success", "waiting": "warning", "pending": "info", "rejected": "danger"}

"""Timeline action codes of outreach events (all internal to the centre's staff)."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

INTERNAL = Audience.INTERNAL

register_actions(
    ("outreach.event.created", _("创建活动"), INTERNAL),
    ("outreach.event.changed", _("修改活动"), INTERNAL),
    ("outreach.registration.created", _("报名：%(name)s（%(state)s）"), INTERNAL),
    ("outreach.registration.cancelled", _("取消报名：%(name)s"), INTERNAL),
    ("outreach.registration.promoted", _("候补转正：%(name)s"), INTERNAL),
    ("outreach.registration.decided", _("审核报名：%(name)s → %(state)s"), INTERNAL),
    ("outreach.publication.created", _("登记作品"), INTERNAL),
    ("outreach.publication.changed", _("编辑作品"), INTERNAL),
    ("outreach.base.activity_logged", _("记录基地活动：%(kind)s × %(count)s（%(date)s）"), INTERNAL),
    ("outreach.base.activity_changed", _("修改基地活动：%(kind)s × %(count)s（%(date)s）"), INTERNAL),
    ("outreach.base.activity_deleted", _("删除基地活动：%(kind)s × %(count)s（%(date)s）"), INTERNAL),
)

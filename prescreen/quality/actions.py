"""Timeline action codes of the four-level quality check: all internal to the centre."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

INTERNAL = Audience.INTERNAL

register_actions(
    ("quality.check.peer_opened", _("进入互检"), INTERNAL),
    ("quality.check.peer_pass", _("互检：通过"), INTERNAL),
    ("quality.check.peer_remarks", _("互检：通过（附意见）"), INTERNAL),
    ("quality.check.peer_return", _("互检：退回整改"), INTERNAL),
    ("quality.check.department_pass", _("部级质检：通过"), INTERNAL),
    ("quality.check.department_remarks", _("部级质检：通过（附意见）"), INTERNAL),
    ("quality.check.department_return", _("部级质检：退回整改"), INTERNAL),
    ("quality.check.centre_pass", _("保护中心质检：通过"), INTERNAL),
    ("quality.check.centre_remarks", _("保护中心质检：通过（附意见）"), INTERNAL),
    ("quality.check.centre_return", _("保护中心质检：退回整改"), INTERNAL),
    ("quality.check.appealed", _("质检申诉（提交%(level)s复核）"), INTERNAL),
    ("quality.check.appeal_upheld", _("申诉成立，原质检结论撤销"), INTERNAL),
    ("quality.check.appeal_rejected", _("申诉不成立，维持原结论"), INTERNAL),
    ("quality.fixtask.opened", _("质检退回整改"), INTERNAL),
    ("quality.fixtask.done", _("完成质检整改"), INTERNAL),
    ("quality.sample.department_drawn", _("抽入部级质检"), INTERNAL),
    ("quality.sample.centre_drawn", _("抽入保护中心质检"), INTERNAL),
    ("quality.feedbackitem.recorded", _("实审反馈：%(verdict)s"), INTERNAL),
)

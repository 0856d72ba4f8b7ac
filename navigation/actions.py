"""Timeline action codes of patent navigation (all internal to the project team)."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

INTERNAL = Audience.INTERNAL

register_actions(
    ("navigation.navigationproject.created", _("创建导航项目"), INTERNAL),
    ("navigation.navigationproject.phase_done", _("阶段完成：%(phase)s"), INTERNAL),
    ("navigation.navigationproject.phase_planned", _("阶段计划：%(phase)s，负责人 %(owner)s，完成日期 %(due)s"), INTERNAL),
    ("navigation.navigationproject.deliverable", _("提交阶段成果：%(phase)s · %(name)s"), INTERNAL),
    ("navigation.navigationproject.import_started", _("开始导入专利数据：%(name)s"), INTERNAL),
    ("navigation.navigationproject.import_done", _("专利数据导入完成：%(name)s（新增 %(created)s，合并 %(merged)s）"), INTERNAL),
    ("navigation.navigationproject.import_failed", _("专利数据导入失败：%(name)s"), INTERNAL),
    ("navigation.navigationproject.report_requested", _("生成报告 v%(version)s"), INTERNAL),
    ("navigation.navigationproject.report_delivered", _("交付报告 v%(version)s"), INTERNAL),
    ("navigation.navigationproject.chain_edited", _("编辑产业链：%(chain)s"), INTERNAL),
)

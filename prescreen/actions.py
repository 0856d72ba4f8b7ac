"""Timeline action codes of pre-exam (the case's transitions register themselves)."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

PUBLIC, INTERNAL = Audience.PUBLIC, Audience.INTERNAL

register_actions(
    ("prescreen.preexamcase.created", _("创建草稿"), PUBLIC),
    ("prescreen.preexamcase.claimed", _("领取案件"), INTERNAL),
    ("prescreen.preexamcase.assigned", _("分配案件"), INTERNAL),
    ("prescreen.preexamcase.reassigned", _("改派预审员"), INTERNAL),
    ("prescreen.preexamcase.near_duplicate", _("疑似重复申请"), INTERNAL),
    ("prescreen.preexamcase.cnipa_filed", _("登记正式申请号"), PUBLIC),
    ("prescreen.preexamcase.cnipa_outcome", _("登记实审结果：%(o)s"), PUBLIC),
    # an opinion is the examiner's internal work until it is released as a correction notice
    ("prescreen.opinion.submitted", _("提交预审意见（第 %(n)s 轮）"), INTERNAL),
    ("prescreen.opinion.returned", _("意见退回修改"), INTERNAL),
    ("prescreen.registration.applied", _("申请备案"), PUBLIC),
)

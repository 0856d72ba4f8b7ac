"""Timeline action codes of rights assistance (the workflows' transitions register themselves)."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

PUBLIC, INTERNAL = Audience.PUBLIC, Audience.INTERNAL

register_actions(
    ("rightsaid.consultation.logged", _("登记咨询"), PUBLIC),
    ("rightsaid.consultation.converted", _("转为援助案件"), PUBLIC),
    ("rightsaid.consultation.transfer", _("移送工作站"), PUBLIC),
    ("rightsaid.assistancecase.intake", _("登记案件"), PUBLIC),
    ("rightsaid.assistancecase.from_consultation", _("由咨询转入"), PUBLIC),
    ("rightsaid.assistancecase.evidence", _("补充证据"), PUBLIC),
    ("rightsaid.assistancecase.feedback", _("记录反馈"), PUBLIC),
    ("rightsaid.assistancecase.expert_opinion", _("专家意见"), PUBLIC),
    ("rightsaid.assistancecase.transfer", _("移送工作站"), PUBLIC),
    ("rightsaid.exhibition.created", _("新增展会"), INTERNAL),
    ("rightsaid.exhibitioncomplaint.filed", _("受理展会投诉"), PUBLIC),
)

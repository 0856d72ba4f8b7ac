"""Timeline action codes of people's mediation: the parties follow every step."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

PUBLIC = Audience.PUBLIC

register_actions(
    ("mediation.dispute.registered", _("登记调解纠纷"), PUBLIC),
    ("mediation.dispute.party_added", _("增加当事人：%(p)s"), PUBLIC),
    ("mediation.dispute.consent", _("记录当事人同意调解：%(p)s"), PUBLIC),
    ("mediation.dispute.extended", _("延长调解期限至 %(d)s"), PUBLIC),
    ("mediation.dispute.session", _("记录调解会（%(d)s，%(m)s）"), PUBLIC),
)

"""Timeline action codes of organisations (the review transitions register themselves)."""
from django.utils.translation import gettext_lazy as _

from ipcenter.workflow.actions import register_actions
from ipcenter.workflow.models import Audience

register_actions(
    ("accounts.organization.signup", _("单位注册，等待审核"), Audience.PUBLIC),
)

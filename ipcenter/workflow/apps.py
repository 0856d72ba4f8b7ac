from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "ipcenter.workflow"
    label = "workflow"
    verbose_name = _("流程与审计")

    def ready(self):
        from .actions import register_workflow
        from .engine import Workflow

        # every declared transition is a registered action code ``app.model.transition``
        for model in apps.get_models():
            if isinstance(getattr(model, "workflow", None), Workflow):
                register_workflow(model)

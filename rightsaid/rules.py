"""Permission predicates of rights assistance (autodiscovered by django-rules)."""
import rules

from ipcenter.accounts.rules import is_applicant

from .models import is_case_worker

rules.add_perm("rightsaid.handle_case", is_case_worker)
rules.add_perm("rightsaid.request_assistance", is_applicant | is_case_worker)

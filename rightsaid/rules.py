"""Permission predicates of rights assistance (autodiscovered by django-rules)."""
import rules

from ipcenter.accounts.rules import is_applicant

from .models import AssistanceCase, is_case_worker

rules.add_perm("rightsaid.handle_case", is_case_worker)
rules.add_perm("rightsaid.request_assistance", is_applicant | is_case_worker)


@rules.predicate
def case_is_open(user, case):
    """An assistance case still takes evidence, opinions and transfers until it is closed or
    declined (the forms the case page offers beside the workflow's transitions)."""
    return case.state not in (AssistanceCase.State.CLOSED, AssistanceCase.State.DECLINED)


@rules.predicate
def consultation_not_converted(user, consultation):
    return consultation.converted_case_id is None


works_on_open_case = is_case_worker & case_is_open

"""Rules of pre-exam that decide which of a record's forms are offered beside its workflow's
transitions (the case page asks them; the services enforce the same rules when the form is sent)."""
import rules

from ipcenter.accounts.rules import is_centre_manager

from .models import PreExamCase, acts_for_case

S = PreExamCase.State


@rules.predicate
def takes_cnipa_filing(user, case):
    """After 合格 the filer records the CNIPA application once."""
    return case.state == S.QUALIFIED and not case.cnipa_application_number and acts_for_case(user, case)


@rules.predicate
def takes_cnipa_outcome(user, case):
    """Once the application number is known, the filer or a manager records the outcome once."""
    return (bool(case.cnipa_application_number) and not case.cnipa_outcome
            and (acts_for_case(user, case) or is_centre_manager(user)))


@rules.predicate
def takes_assignment(user, case):
    """A manager assigns (or re-assigns) the examiner of an accepted case until it concludes."""
    return case.state in (S.ACCEPTED, S.EXAMINING, S.NEEDS_CORRECTION) and is_centre_manager(user)


@rules.predicate
def edits_opinion(user, opinion):
    """Only its author edits an opinion, while it is a draft or returned."""
    return opinion.editable and opinion.author_id == user.pk


acts_on_case = rules.predicate(acts_for_case)

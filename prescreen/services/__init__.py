"""Pre-exam rules: every state change of a registration or case goes through here, one module per
topic — ``registration`` (备案), ``filing`` (drafts, documents, pre-check, submission),
``examination`` (acceptance, the examiner queue, opinions, release, corrections, the letter),
``cnipa`` (CNIPA tracking) and ``risk`` (near duplicates, entity risk).  Callers import the names
from ``prescreen.services``.  Interfaces for the quality app: ``docs/prescreen-contract.md``.
"""
from .registration import (  # noqa: F401
    apply_registration, approve_registration, cancel_registration, evaluate_eligibility,
    reinstate_expired_suspensions, reinstate_registration, return_registration, suspend_registration,
)
from .filing import (  # noqa: F401
    DOCUMENT_ROLES, PRECHECK_DONE, PRECHECK_RUNNING, PRECHECK_STATE_KEY, PRECHECK_STATE_TTL, annual_quota,
    create_draft, filing_errors, finish_precheck, notify_submitted, precheck_digest, precheck_state,
    quota_used, remove_draft_document, request_precheck, run_formal_precheck, store_draft_documents,
    submit_case, update_draft,
)
from .examination import (  # noqa: F401
    CORRECTION, LETTER_JOB, LETTER_PURPOSE, TURNAROUND, accept_case, add_defect_item, assign_case, claim_case, claim_next,
    claimable_by, close_turnaround, correction_due_date, delete_defect_item, latest_return, opinion_letter,
    refuse_case, request_letter, return_opinion, start_opinion, stored_letter, submit_correction, submit_opinion, terminate_case,
    terminate_for_missed_correction, try_release, withdraw_case,
)
from .cnipa import (  # noqa: F401
    CNIPA_FILING, record_cnipa_filing, record_cnipa_outcome,
)
from .risk import (  # noqa: F401
    SIMILARITY_CANDIDATES, failure_figures, flag_near_duplicate, review_entity_risk,
)

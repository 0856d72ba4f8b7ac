"""Permission predicates of the quality check (autodiscovered by django-rules)."""
import rules

from ipcenter.accounts.rules import is_centre_manager, is_examiner, is_qc_reviewer

rules.add_perm("quality.view_stats", is_examiner | is_qc_reviewer | is_centre_manager)
rules.add_perm("quality.draw_sample", is_qc_reviewer | is_centre_manager)

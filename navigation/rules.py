"""Permissions of patent navigation."""
import rules

from ipcenter.accounts.rules import is_centre_manager, is_navigation_analyst

can_run_navigation = is_navigation_analyst | is_centre_manager

rules.add_perm("navigation.add_project", can_run_navigation)
rules.add_perm("navigation.edit_aliases", can_run_navigation)

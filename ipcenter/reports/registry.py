"""Report kinds: apps register a builder ``build(job, progress) -> ReportOutput``."""
from dataclasses import dataclass
from typing import Callable


@dataclass
class ReportOutput:
    content: bytes
    filename: str
    content_type: str


@dataclass
class ReportKind:
    code: str
    title: str
    build: Callable
    # rules permission name checked when the job is requested
    permission: str = "reports.run_report"


REPORT_KINDS = {}


def report_kind(code, title, permission="reports.run_report"):
    def decorator(func):
        REPORT_KINDS[code] = ReportKind(code, title, func, permission)
        return func

    return decorator

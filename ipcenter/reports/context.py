"""What a job's builder works with: its parameters, target and input, progress, per-row errors,
counters, and an output file it writes into (a temporary file moved into private storage when
the job succeeds — the result is never held in memory)."""
import contextlib
import os
import tempfile

from django.conf import settings

#: how many row errors an import keeps for its error workbook (the count goes on)
MAX_KEPT_ROW_ERRORS = 50_000
#: how many of them the job page shows
SHOWN_ROW_ERRORS = 200


class JobContext:
    def __init__(self, job, spec, progress, cleaned=None):
        self.job = job
        self.spec = spec
        self.user = job.requested_by
        self.params = job.params or {}
        #: the parameter form's cleaned data, validated again for the requester in the worker
        self.cleaned = cleaned or {}
        self._progress = progress
        self.counters = {}
        self.row_errors = []
        self.error_count = 0
        self.output_file = None  # (temp path, filename, content type)

    # --- what the job is about -------------------------------------------------------------
    @property
    def target(self):
        return self.job.target if self.job.target_id is not None else None

    @property
    def input(self):
        """The import's input ``Attachment`` (None for exports)."""
        return self.job.input_file

    def open_input(self):
        """The input file opened for binary reading (read it in chunks or rows, never whole)."""
        if self.job.input_file is None:
            raise ValueError("this job has no input file")
        return self.job.input_file.file.open("rb")

    # --- reporting ------------------------------------------------------------------------
    def progress(self, percent, message=""):
        self._progress(percent, message)

    def count(self, name, n=1):
        self.counters[name] = self.counters.get(name, 0) + n

    def row_error(self, row, column, message, params=None):
        """Record that input row ``row`` (1-based, as the user numbers it) is wrong in ``column``:
        the import will then be rolled back as a whole and end FAILED with the list.  With
        ``params``, ``message`` is a catalogue entry in the source language (``gettext_noop``)
        and the problem is shown in each reader's language (``Job.shown_row_errors``)."""
        self.error_count += 1
        if len(self.row_errors) < MAX_KEPT_ROW_ERRORS:
            if params is None:
                self.row_errors.append([row, str(column or ""), str(message)])
            else:
                from django.utils.translation import gettext

                self.row_errors.append([row, str(column or ""), gettext(message) % params, str(message), params])

    @property
    def has_errors(self):
        return self.error_count > 0

    # --- the result file ---------------------------------------------------------------------
    @contextlib.contextmanager
    def output(self, filename, content_type):
        """``with ctx.output("名称.xlsx", XLSX_TYPE) as fh: ...`` — write the result into ``fh``."""
        if self.output_file is not None:
            raise ValueError("a job has one output file")
        fd, path = tempfile.mkstemp(prefix="job-", dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None))
        try:
            with os.fdopen(fd, "wb") as fh:
                yield fh
        except BaseException:
            os.unlink(path)
            raise
        self.output_file = (path, filename, content_type)

    def discard_output(self):
        if self.output_file is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.output_file[0])
            self.output_file = None

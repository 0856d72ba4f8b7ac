"""Parameter forms of job kinds: the request page and the API validate a job's parameters with the
kind's form (field errors, nothing created), and the worker validates the stored parameters again
for the requester before it builds anything."""
import datetime
import decimal
import uuid

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipcenter.forms import UploadField


class JobParamForm(forms.Form):
    """Base of a kind's parameter form.  ``user`` is the requester (scope checks belong in
    ``clean``); ``target`` the job's target record, if the kind has one."""

    def __init__(self, data=None, files=None, *, user, target=None, **kwargs):
        super().__init__(data, files, **kwargs)
        self.user = user
        self.target = target

    def job_params(self):
        """The cleaned parameters as JSON (what the job stores and the worker validates again)."""
        return {name: _jsonable(value) for name, value in self.cleaned_data.items()
                if not isinstance(self.fields.get(name), forms.FileField)}

    def job_title(self):
        """A title for the job (None: the kind's title)."""
        return None


def _jsonable(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "values_list"):
        return [_jsonable(v) for v in value]
    return str(value)


class ImportForm(JobParamForm):
    """The upload of an import kind: one file, checked against the kind's upload purpose while
    the form is cleaned.  Subclass it to ask for more parameters."""

    file = UploadField(label=_("导入文件"))

    def __init__(self, *args, purpose=None, **kwargs):
        super().__init__(*args, **kwargs)
        if purpose is not None:
            self.fields["file"].purpose = purpose

"""Form pieces shared by the area apps."""
from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """A file input checked against an upload purpose (``ipcenter.files``: real type by content,
    size, name) while the form is cleaned, so a bad file is an error under its own field, never a
    banner after the fact."""

    def __init__(self, *args, purpose=None, **kwargs):
        self.purpose = purpose
        super().__init__(*args, **kwargs)

    def check_file(self, f):
        if self.purpose is None or not f or not hasattr(f, "read"):
            return
        from ipcenter.files.services import validate_upload

        try:
            validate_upload(f, self.purpose)
        finally:
            if hasattr(f, "seek"):
                f.seek(0)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        self.check_file(value)
        return value


class MultipleFileField(UploadField):
    """Several files in one input; cleans to a list (empty when nothing was chosen).  Every
    file is checked: each bad one is named with its reason under the field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [d for d in data if d] if isinstance(data, (list, tuple)) else ([data] if data else [])
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        cleaned, errors = [], []
        for f in files:
            try:
                value = forms.FileField.clean(self, f, initial)
                self.check_file(value)
            except forms.ValidationError as exc:
                name = getattr(f, "name", "")
                errors.extend(m if name and name in m else f"{name}：{m}" for m in exc.messages)
            else:
                cleaned.append(value)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def apply_errors(form, exc):
    """Put a service's ValidationError on the form: field errors on their fields when the form
    has them; a message that names an uploaded file goes under that file's field; everything
    else as non-field errors."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
        return
    for message in exc.messages:
        form.add_error(_field_naming_file(form, message), message)


def _field_naming_file(form, message):
    """The file field whose uploaded file the message names, or ``None``."""
    files = getattr(form, "files", None)
    if not files:
        return None
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            key = form.add_prefix(name)
            chosen = files.getlist(key) if hasattr(files, "getlist") else files.get(key)
            for f in chosen if isinstance(chosen, (list, tuple)) else [chosen]:
                if getattr(f, "name", None) and f.name in message:
                    return name
    return None


class BoundedFormMixin:
    """Sane bounds on a form's fields (``ipcenter.validators``): ``bounds`` maps a field to a
    validator (or a tuple of them), ``spans`` lists pairs of dates that must be in order and
    close enough.  Errors sit under their fields, in Chinese."""

    bounds = {}
    spans = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, validators in self.bounds.items():
            field = self.fields.get(name)
            if field is None:
                continue
            for v in validators if isinstance(validators, (list, tuple)) else (validators,):
                if v not in field.validators:
                    field.validators.append(v)
            _bound_widget(field, validators)

    def clean(self):
        data = super().clean()
        for span in self.spans:
            if span.end in self.errors or span.start in self.errors:
                continue
            for field, message in span.errors(data.get(span.start), data.get(span.end)).items():
                self.add_error(field, message)
        return data


def _bound_widget(field, validators):
    """Tell the browser the bounds too (``min``/``max`` of date and number inputs)."""
    from ipcenter.validators import DateRange, NumberRange

    for v in validators if isinstance(validators, (list, tuple)) else (validators,):
        if isinstance(v, DateRange):
            field.widget.attrs.setdefault("min", v.earliest.isoformat())
            field.widget.attrs["max"] = v.latest().isoformat()
        elif isinstance(v, NumberRange) and isinstance(field, (forms.IntegerField, forms.DecimalField)):
            field.widget.attrs.setdefault("min", v.minimum)
            field.widget.attrs.setdefault("max", v.maximum)

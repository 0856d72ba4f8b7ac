"""Form pieces shared by the area apps."""
from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when nothing was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def apply_errors(form, exc):
    """Put a service's ValidationError on the form: field errors on their fields when the form
    has them, everything else as non-field errors."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


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

"""Shared REST API pieces: pagination, error handling and the scoped viewset base."""
from rest_framework import serializers, viewsets

from ipcenter.querysets import require_scoped


class Replayed(Exception):
    """A POST repeated with the same ``Idempotency-Key``: answer what the first one answered."""

    def __init__(self, outcome):
        self.outcome = outcome


class IdempotentMixin:
    """``POST`` with an ``Idempotency-Key`` header runs once: the first successful (2xx)
    response is remembered for that key, user, URL and body, and a repeat gets the same
    response (``Idempotent-Replayed: true``) instead of a second record; a repeat while the
    first is still running gets 409.  Failed requests release the key.  The API twin of the
    HTML forms' one-time token (``ipcenter.submit_once``)."""

    idempotency_header = "Idempotency-Key"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication and permissions first
        self._idempotency_claim = None
        key = request.headers.get(self.idempotency_header)
        if request.method != "POST" or key is None:
            return
        from rest_framework import exceptions

        from ipcenter import submit_once

        if not key.strip() or len(key) > 255:
            raise exceptions.ValidationError({self.idempotency_header: ["Idempotency-Key 须为 1–255 个字符。"]})
        claim = submit_once.Claim(submit_once.cache_key(
            "api", submit_once.owner_of(request), _digest(key, request.path, request.data)))
        outcome = claim.begin()
        if outcome is not None:
            raise Replayed(outcome)
        self._idempotency_claim = claim

    def handle_exception(self, exc):
        if isinstance(exc, Replayed):
            from rest_framework.response import Response

            from ipcenter.submit_once import PENDING

            if exc.outcome == PENDING:
                return Response({"detail": "相同 Idempotency-Key 的请求正在处理，请稍后重试。"}, status=409)
            return Response(exc.outcome["data"], status=exc.outcome["status"],
                            headers={"Idempotent-Replayed": "true"})
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        claim = getattr(self, "_idempotency_claim", None)
        if claim is not None:
            self._idempotency_claim = None
            if 200 <= response.status_code < 300 and getattr(response, "data", None) is not None:
                import json

                from rest_framework.utils.encoders import JSONEncoder

                claim.remember({"status": response.status_code,
                                "data": json.loads(json.dumps(response.data, cls=JSONEncoder))})
            else:
                claim.release()
        return response


def _digest(key, path, data):
    import hashlib
    import json

    try:
        body = json.dumps(data, sort_keys=True, default=str)
    except TypeError:
        body = repr(data)
    return hashlib.sha256(f"{key}\x00{path}\x00{body}".encode()).hexdigest()


class ScopedViewSetMixin(IdempotentMixin):
    """API twin of ScopedObjectMixin: querysets start from ``visible_to``; POSTs honour an
    ``Idempotency-Key``."""

    model = None

    def refine_queryset(self, queryset):
        return queryset

    def get_queryset(self):
        model = self.model or self.serializer_class.Meta.model
        qs = model._default_manager.visible_to(self.request.user)
        return require_scoped(self.refine_queryset(qs), type(self).__name__)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class BoundedSerializerMixin:
    """The serializer twin of ``ipcenter.forms.BoundedFormMixin``: ``bounds`` (field →
    validator(s) from ``ipcenter.validators``) and ``spans`` (ordered date pairs)."""

    bounds = {}
    spans = ()

    def get_fields(self):
        fields = super().get_fields()
        for name, validators in self.bounds.items():
            field = fields.get(name)
            if field is None or field.read_only:
                continue
            for v in validators if isinstance(validators, (list, tuple)) else (validators,):
                if v not in field.validators:
                    field.validators.append(v)
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        errors = {}
        instance = getattr(self, "instance", None)
        for span in self.spans:
            start = attrs.get(span.start, getattr(instance, span.start, None))
            end = attrs.get(span.end, getattr(instance, span.end, None))
            errors.update({k: [v] for k, v in span.errors(start, end).items()})
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def service_errors(exc):
    """A Django ValidationError as DRF error detail: field → messages (``non_field_errors`` for the rest)."""
    from django.core.exceptions import NON_FIELD_ERRORS
    from rest_framework.settings import api_settings

    if hasattr(exc, "error_dict"):
        errors = exc.message_dict
        if NON_FIELD_ERRORS in errors:
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        return errors
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def call_service(func, *args, **kwargs):
    """Call a service from a viewset; its refusals become 400 (a rule, with field errors) or 403
    (a permission) responses instead of 500s."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from rest_framework import exceptions

    from ipcenter.workflow.engine import TransitionNotAllowed

    try:
        return func(*args, **kwargs)
    except TransitionNotAllowed as exc:
        if exc.code == "permission":
            raise exceptions.PermissionDenied(exc.messages[0])
        raise exceptions.ValidationError(service_errors(exc))
    except ValidationError as exc:
        raise exceptions.ValidationError(service_errors(exc))
    except PermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None)


def validated(serializer_class, request, **context):
    """Validate ``request.data`` with ``serializer_class`` (400 on errors) and return the data."""
    ser = serializer_class(data=request.data, context={"request": request, **context})
    ser.is_valid(raise_exception=True)
    return ser.validated_data

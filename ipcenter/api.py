"""Shared REST API pieces: pagination, error handling and the scoped viewset base."""
from rest_framework import serializers, viewsets

from ipcenter.querysets import require_scoped


class ScopedViewSetMixin:
    """API twin of ScopedObjectMixin: querysets start from ``visible_to``."""

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


class TransitionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


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

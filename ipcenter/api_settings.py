"""API settings objects referenced from REST_FRAMEWORK (kept free of viewset
imports, which would be circular)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """Django ValidationErrors raised by services (refused transitions, bad uploads) become 400
    responses with their messages, not 500s: field → messages, messages of no field under
    ``non_field_errors`` (the body ``ipcenter.api_schema`` documents as ``ValidationError``)."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = ValidationError(exc.message_dict)
        else:
            exc = ValidationError({api_settings.NON_FIELD_ERRORS_KEY: exc.messages})
    return drf_exception_handler(exc, context)

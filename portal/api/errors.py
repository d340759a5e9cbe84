from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from portal.core.errors import DomainError


class DomainAPIError(exceptions.APIException):
    def __init__(self, error: DomainError):
        self.status_code = error.status_code
        super().__init__(detail={"detail": error.message, "code": error.code}, code=error.code)


def raise_api_error(error: DomainError):
    raise DomainAPIError(error) from error


def exception_handler(exc, context):
    """Domain errors and model validation from services become 4xx answers, never 500s."""
    if isinstance(exc, DomainError):
        exc = DomainAPIError(exc)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(getattr(exc, "message_dict", None) or {"detail": exc.messages})
    return drf_exception_handler(exc, context)

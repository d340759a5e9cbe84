from rest_framework.exceptions import APIException

from portal.core.errors import DomainError


class DomainAPIError(APIException):
    def __init__(self, error: DomainError):
        self.status_code = error.status_code
        super().__init__(detail={"detail": error.message, "code": error.code}, code=error.code)


def raise_api_error(error: DomainError):
    raise DomainAPIError(error) from error

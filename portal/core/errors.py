class DomainError(Exception):
    """A rule of the domain was broken; views turn it into a message, the API into a 400/409."""

    status_code = 400

    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionNotAllowed(DomainError):
    status_code = 409

    def __init__(self, message, code="transition_not_allowed"):
        super().__init__(message, code)

"""Errors services raise; views turn them into Chinese messages, never a 500."""

from django.core.exceptions import ValidationError  # noqa: F401  (re-exported for services)


class ConflictError(Exception):
    """Someone else changed the record first; the user must reload and try again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

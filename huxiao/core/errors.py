"""Errors services raise; views turn them into Chinese messages, never a 500."""

from django.core.exceptions import ValidationError  # also re-exported for services
from django.http import Http404, HttpResponseNotFound
from django.template import loader


class ConflictError(Exception):
    """Someone else changed the record first; the user must reload and try again."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def error_message(exc: Exception) -> str:
    """The Chinese sentence a view shows for what a service refused: a ValidationError's messages
    joined, a ConflictError's message, a PermissionDenied's reason (or the generic one)."""
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return getattr(exc, "message", "") or str(exc) or "您的角色不能进行此项操作。"


class ShownNotFound(Http404):
    """A 404 whose message the page shows, raised only after the user's scope was checked (a
    stored file gone from disk: `core.files.serve_stored`), so it betrays nothing. Every other
    404 shows the one generic text, so a record out of scope looks like one that does not exist."""


def page_not_found(request, exception):
    """`handler404`: the generic 404 page, with the message of a `ShownNotFound`."""
    message = str(exception) if isinstance(exception, ShownNotFound) else ""
    body = loader.render_to_string("404.html", {"message": message}, request)
    return HttpResponseNotFound(body)

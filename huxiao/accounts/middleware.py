"""Forces the first-login password change for accounts an administrator created."""

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/accounts/password/", "/accounts/logout/", "/accounts/logout-everywhere/", "/static/")


class ForcePasswordChangeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect(reverse("accounts:password-change"))
        return self.get_response(request)

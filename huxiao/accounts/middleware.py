"""Forces the first-login password change for accounts an administrator created, and the second
factor for the accounts that must pass one."""

from urllib.parse import urlencode

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


TWO_FACTOR_OPEN = ("/accounts/2fa/", "/accounts/logout/", "/static/")


class TwoFactorMiddleware:
    """After the password, a user who must pass a second factor (`accounts.twofactor.required`)
    reaches nothing but enrolment (not yet enrolled) or the code page (enrolled) until they do.
    Runs after django-otp's OTPMiddleware, which tells whether this session is verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from huxiao.accounts import twofactor

        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN)
            and not user.is_verified()
            and twofactor.required(user)
        ):
            page = "accounts:2fa-verify" if twofactor.enrolled(user) else "accounts:2fa-setup"
            url = reverse(page)
            if request.method == "GET" and not request.headers.get("HX-Request"):
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        return self.get_response(request)

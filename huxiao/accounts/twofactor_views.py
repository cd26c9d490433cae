"""双因素认证 pages: enrolment (scan, confirm, note the recovery codes), the code after the
password, and the 安全管理员's reset for a lost phone."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from huxiao.accounts import services, twofactor
from huxiao.accounts.access import require_cap
from huxiao.accounts.models import User
from huxiao.accounts.roles import Cap


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="验证器应用中显示的6位数字；手机丢失时可输入一个备用验证码。",
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


def setup(request):
    """Scan the QR code with an authenticator app, type the code it shows; the recovery codes are
    then shown once."""
    if twofactor.enrolled(request.user) and request.user.is_verified():
        messages.info(request, "您已启用双因素认证。如需更换手机，请联系安全管理员重置。")
        return redirect("accounts:me")
    if twofactor.enrolled(request.user):  # enrolled, not verified in this session: the code page
        return redirect("accounts:2fa-verify")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = twofactor.wait_seconds(device)
        codes = (
            None
            if wait
            else services.twofactor_enrol(
                acting_user=request.user, device=device, token=form.cleaned_data["code"]
            )
        )
        if wait:
            form.add_error("code", f"输错次数较多，请等待{wait}秒后再试。")
        elif codes is None:
            form.add_error(
                "code", "验证码不正确或已过期，请输入验证器中当前显示的6位数字（并检查手机时间是否准确）。"
            )
        else:
            otp_login(request, device)
            return render(request, "accounts/2fa_codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "accounts/2fa_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "required": twofactor.required(request.user),
            "next": _next(request),
        },
    )


def verify(request):
    """The second step of signing in."""
    if not twofactor.enrolled(request.user):
        return redirect("accounts:2fa-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = twofactor.wait_seconds(*twofactor.devices(request.user))
        device = (
            None if wait else services.twofactor_check(user=request.user, token=form.cleaned_data["code"])
        )
        if wait:
            form.add_error("code", f"输错次数较多，请等待{wait}秒后再试。")
        elif device is None:
            form.add_error("code", "验证码不正确。连续输错后需等待的时间会逐次加倍。")
        else:
            otp_login(request, device)
            left = twofactor.remaining_recovery_codes(request.user)
            if device.name == twofactor.RECOVERY_NAME:
                messages.warning(request, f"您使用了备用验证码，还剩{left}个。手机丢失请联系安全管理员重置。")
            return redirect(_next(request))
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": _next(request)})


@require_POST
def reset(request, pk):
    """安全管理员: a user lost their phone."""
    require_cap(request.user, Cap.SECURITY_MANAGE)
    account = get_object_or_404(User, pk=pk)
    try:
        services.twofactor_reset(acting_user=request.user, user=account)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已重置“{account}”的双因素认证；其下次登录时须重新绑定验证器。")
    return redirect("security:overview")

"""Login, password and session pages; account administration for system administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts import lockout, services, twofactor
from huxiao.accounts.access import access_account, require_cap
from huxiao.accounts.forms import AccountCreateForm, LoginForm, MembershipGrantForm, PasswordChangeForm
from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES, Cap
from huxiao.core import audit
from huxiao.core.forms import apply_validation_error


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # the per-address limit (axes locks one user name from one address; see accounts.lockout)
        if lockout.address_locked(request):
            return locked_out(request)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        with transaction.atomic():
            audit.record(actor=form.get_user(), action="account.login", obj=form.get_user())
        return response


@login_not_required
def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes after 5 failures; the lock lifts after 15 minutes."""
    return render(request, "accounts/locked_out.html", status=429)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        with transaction.atomic():
            audit.record(actor=request.user, action="account.logout", obj=request.user)
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


def me(request):
    memberships = request.user.memberships.active().select_related("organisation")
    return render(
        request,
        "accounts/me.html",
        {
            "memberships": memberships,
            "roles": ROLES,
            "two_factor": twofactor.enrolled(request.user),
            "recovery_left": twofactor.remaining_recovery_codes(request.user),
        },
    )


@require_POST
def logout_everywhere_view(request):
    services.logout_everywhere(acting_user=request.user, user=request.user)
    logout(request)
    messages.info(request, "已退出您在所有设备上的登录。")
    return redirect("accounts:login")


def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.password_change(
                acting_user=request.user, user=request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("dashboards:home")
    return render(request, "accounts/password_change.html", {"form": form})


def user_list(request):
    require_cap(request.user, Cap.ACCOUNT_MANAGE)
    users = User.objects.prefetch_related("memberships__organisation").order_by("username")
    return render(request, "accounts/user_list.html", {"users": users, "roles": ROLES})


def user_create(request):
    require_cap(request.user, Cap.ACCOUNT_MANAGE)
    form = AccountCreateForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # an account without its membership is never left behind
                user = services.account_create(
                    acting_user=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    password=data["password"],
                    phone=data["phone"],
                )
                services.membership_grant(
                    acting_user=request.user,
                    user=user,
                    organisation=data["organisation"],
                    role=data["role"],
                    title=data["title"],
                )
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="password")
        else:
            messages.success(request, f"账号“{user.username}”已创建，首次登录须修改密码。")
            return redirect("accounts:user-list")
    return render(request, "accounts/user_form.html", {"form": form})


@require_POST
def user_toggle_active(request, pk):
    account = access_account(request.user, pk)
    if account == request.user:
        messages.error(request, "不能停用自己的账号。")
    else:
        services.account_set_active(acting_user=request.user, user=account, active=not account.is_active)
        messages.success(request, f"账号“{account.username}”已{'启用' if account.is_active else '停用'}。")
    return redirect("accounts:user-list")


def user_detail(request, pk):
    """One account: its memberships, granting a new role, ending one."""
    account = access_account(request.user, pk)
    form = MembershipGrantForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_grant(
                acting_user=request.user,
                user=account,
                organisation=data["organisation"],
                role=data["role"],
                title=data["title"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="role")
        else:
            messages.success(
                request, f"已为“{account}”添加角色：{data['organisation']} · {ROLES[data['role']].label}。"
            )
            return redirect("accounts:user-detail", pk=account.pk)
    memberships = account.memberships.select_related("organisation").order_by(
        "-is_active", "organisation__name"
    )
    return render(
        request, "accounts/user_detail.html", {"account": account, "memberships": memberships, "form": form}
    )


@require_POST
def membership_revoke(request, pk, membership_pk):
    account = access_account(request.user, pk)
    membership = get_object_or_404(account.memberships, pk=membership_pk, is_active=True)
    services.membership_revoke(acting_user=request.user, membership=membership)
    messages.success(request, f"已撤销：{membership.organisation} · {membership.get_role_display()}。")
    return redirect("accounts:user-detail", pk=account.pk)

"""Access checks for account administration pages."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huxiao.accounts.models import User
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of


def require_cap(user, cap: str) -> None:
    """403 unless one of the user's roles carries `cap`."""
    if not scope_of(user).has(cap):
        raise PermissionDenied("您的角色没有此项权限。")


def access_account(user, pk) -> User:
    """An account, for a user who manages accounts."""
    require_cap(user, Cap.ACCOUNT_MANAGE)
    account = User.objects.filter(pk=pk).first()
    if account is None:
        raise Http404("账号不存在。")
    return account

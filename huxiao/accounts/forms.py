"""Account forms (shape only; rules live in validators and services)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from huxiao.accounts.roles import Cap, RoleCode
from huxiao.accounts.scope import units_within
from huxiao.core.models import Organisation


class _GrantsRole(forms.Form):
    """A form that gives a role in a unit: the units offered are those inside the
    administrator's jurisdiction (the service refuses any other, posted by hand or not)."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = units_within(user, Cap.ACCOUNT_MANAGE).order_by("name")


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败5次，账号将被锁定15分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="当前密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    new_password1 = forms.CharField(
        label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label="再次输入新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        if data.get("new_password1") and data.get("new_password1") == data.get("old_password"):
            self.add_error("new_password1", "新密码不能与当前密码相同。")
        return data


class AccountCreateForm(_GrantsRole):
    username = forms.RegexField(
        label="用户名",
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        error_messages={"invalid": "用户名须为3至30位字母、数字或 _ . -。"},
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(
        label="手机号",
        required=False,
        regex=r"^1[0-9]{10}$",
        error_messages={"invalid": "手机号须为11位数字，以1开头。"},
    )
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        help_text="至少8位，含大写字母、小写字母、数字、符号中的至少3类；首次登录须修改。",
    )
    organisation = forms.ModelChoiceField(label="单位", queryset=Organisation.objects.active())
    role = forms.ChoiceField(label="角色", choices=RoleCode.choices)
    title = forms.CharField(label="职务", max_length=50, required=False)


class MembershipGrantForm(_GrantsRole):
    organisation = forms.ModelChoiceField(label="单位", queryset=Organisation.objects.active())
    role = forms.ChoiceField(label="角色", choices=RoleCode.choices)
    title = forms.CharField(label="职务", max_length=50, required=False)

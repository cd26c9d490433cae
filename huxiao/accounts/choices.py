"""Choices of this app."""

# What the audit log shows for this app's actions (registered with core.audit in apps.py).
AUDIT_ACTIONS = {
    "account.create": "新建账号",
    "account.login": "登录",
    "account.login_failed": "登录失败",
    "account.logout": "退出登录",
    "account.logout_everywhere": "退出所有设备",
    "account.password_change": "修改密码",
    "account.password_reset": "重置密码",
    "account.set_active": "启用/停用账号",
    "account.unlock": "解除登录锁定",
    "account.2fa_enrol": "启用双因素认证",
    "account.2fa_recovery": "使用备用验证码登录",
    "account.2fa_reset": "重置双因素认证",
    "membership.grant": "授予角色",
    "membership.revoke": "撤销角色",
    "organisation.create": "新增单位",
    "organisation.update": "修改单位",
    "region.create": "新增行政区划",
    "region.update": "修改行政区划",
}

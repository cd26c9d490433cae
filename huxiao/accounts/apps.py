from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huxiao.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from huxiao.accounts import checks, signals  # noqa: F401  (registers the demo-account check; connects the login audit handlers)
        from huxiao.accounts.choices import AUDIT_ACTIONS
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions

        register_actions(AUDIT_ACTIONS)

        register_nav("审计日志", "audit:list", Cap.AUDIT_VIEW, order=900)
        register_nav("账号管理", "accounts:user-list", Cap.ACCOUNT_MANAGE, order=910)
        register_nav("区划与单位", "directory:organisation-list", Cap.ORG_MANAGE, order=920)
        register_nav("安全管理", "security:overview", Cap.SECURITY_MANAGE, order=930)
        register_nav("消息", "notifications:notification-list", None, order=990)  # the inbox (notifications)

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "huxiao.reports"
    label = "reports"
    verbose_name = "文书与报表"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.reports.choices import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)

        register_nav("文书模板", "reports:template-list", Cap.ORG_MANAGE, order=930)

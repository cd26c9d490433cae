from django.apps import AppConfig


class MonthlyConfig(AppConfig):
    name = "huxiao.monthly"
    label = "monthly"
    verbose_name = "月度统计表"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo
        from huxiao.monthly import figures
        from huxiao.monthly.choices import AUDIT_ACTIONS, NotifyKind
        from huxiao.notifications.kinds import KINDS

        register_actions(AUDIT_ACTIONS)

        register_nav("月度统计表", "monthly:report-list", Cap.SCHOOL_VIEW, order=100)
        register_demo("huxiao.monthly.demo", order=60)

        figures.register()
        KINDS.register_choices(NotifyKind)

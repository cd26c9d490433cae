from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "huxiao.dashboards"
    label = "dashboards"
    verbose_name = "工作台"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap

        register_nav("工作台", "dashboards:home", None, order=10)
        register_nav("数据看板", "dashboards:overview", Cap.SCHOOL_VIEW, order=20)
        from huxiao.dashboards.assessment import may_read

        register_nav("等保自评", "dashboards:assessment", None, order=940, visible=may_read)

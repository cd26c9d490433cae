from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "huxiao.schools"
    label = "schools"
    verbose_name = "学校名录"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.schools.choices import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)

        register_nav("学校名录", "schools:school-list", Cap.SCHOOL_VIEW, order=40)

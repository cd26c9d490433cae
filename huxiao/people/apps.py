from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "huxiao.people"
    label = "people"
    verbose_name = "重点人员与矛盾纠纷"

    def ready(self) -> None:
        """The registers' menu entry (police and 政法 only), audit actions, inbox messages, the
        hazard source 矛盾纠纷, the 统计表 columns that replace the hand-typed ones, the count a
        school's page shows, the key check and the demo."""
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import (
            register_demo,
            register_figures,
            register_home_cards,
            register_school_panel,
        )
        from huxiao.hazards.sources import SOURCES, register_source
        from huxiao.notifications.kinds import KINDS
        from huxiao.people import access, checks, figures, selectors  # noqa: F401  (checks registers itself)
        from huxiao.people.choices import AUDIT_ACTIONS, NotifyKind

        register_nav(
            "重点人员与矛盾纠纷",
            "people:person-list",
            Cap.SENSITIVE_VIEW,
            order=95,
            visible=access.sees_registers,
        )
        register_nav(
            "涉校稳定态势", "people:overview", Cap.SCHOOL_VIEW, order=96, visible=access.sees_overview
        )
        register_actions(AUDIT_ACTIONS, readers=access.reads_register_audit)
        KINDS.register_choices(NotifyKind)
        SOURCES.register("dispute", "矛盾纠纷")
        register_source("people.dispute", "矛盾纠纷记录", selectors.dispute_source_url)
        register_figures(figures.COLUMNS, figures.provider)
        register_school_panel(selectors.school_panel)
        register_home_cards(selectors.home_panels)
        register_demo("huxiao.people.demo", order=55)

from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "huxiao.staff"
    label = "staff"
    verbose_name = "人员审查与保卫力量"

    def ready(self) -> None:
        """The menu entries (the register for schools and 学区, the guard roster for the police),
        audit actions (read by the register's readers and the auditor), inbox messages, the facts
        the 三防 engine judges, the 统计表 columns, the school page and home cards, the demo."""
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import (
            register_demo,
            register_facts,
            register_figures,
            register_home_cards,
            register_school_panel,
        )
        from huxiao.notifications.kinds import KINDS
        from huxiao.staff import access, facts, figures, selectors
        from huxiao.staff.choices import AUDIT_ACTIONS, NotifyKind

        register_nav("人员审查", "staff:member-list", Cap.SCHOOL_VIEW, order=93, visible=access.sees_register)
        register_nav(
            "保卫力量",
            "staff:guards",
            Cap.SCHOOL_VIEW,
            order=94,
            visible=lambda user: access.sees_guards(user) and not access.sees_register(user),
        )
        register_actions(AUDIT_ACTIONS, readers=access.reads_staff_audit)
        KINDS.register_choices(NotifyKind)
        register_facts(facts.FACTS, facts.provider)
        register_figures(figures.COLUMNS, figures.provider, per_school=figures.by_school)
        register_school_panel(selectors.school_panel)
        register_home_cards(selectors.home_panels)
        register_demo("huxiao.staff.demo", order=56)

from django.apps import AppConfig


class GateConfig(AppConfig):
    name = "huxiao.gate"
    label = "gate"
    verbose_name = "门卫登记"

    def ready(self) -> None:
        """The menu entries (the school's log for its keepers, the counts for the 学区 and the
        police), audit actions (read by the log's keepers, the police and the auditor), the 门卫's
        card on the 工作台, the 统计表 columns and the demo."""
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo, register_facts, register_figures, register_home_cards
        from huxiao.gate import access, facts, figures, selectors
        from huxiao.gate.choices import AUDIT_ACTIONS

        register_nav("门卫登记", "gate:log", Cap.GATE_LOG, order=85, visible=access.keeps_log)
        register_nav("门卫登记", "gate:overview", Cap.SCHOOL_VIEW, order=86, visible=access.sees_counts)
        register_actions(AUDIT_ACTIONS, readers=access.reads_gate_audit)
        register_home_cards(selectors.home_panels)
        register_figures(figures.COLUMNS, figures.provider, per_school=figures.by_school)
        register_facts(facts.FACTS, facts.provider)
        register_demo("huxiao.gate.demo", order=57)

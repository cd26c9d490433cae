from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "huxiao.incidents"
    label = "incidents"
    verbose_name = "应急处置"

    def ready(self) -> None:
        """The menu entry, audit actions, inbox messages, the hazard sources 案事件 (整改措施 of a
        closed incident) and 应急演练 (problems a drill found), the 通报 document, the drill fact the
        三防 engine judges, the 统计表 columns that replace hand-typed ones, home cards, the demo."""
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo, register_facts, register_figures, register_home_cards
        from huxiao.hazards.sources import SOURCES, register_source
        from huxiao.incidents import facts, figures, selectors
        from huxiao.incidents.choices import AUDIT_ACTIONS, Document, NotifyKind
        from huxiao.notifications.kinds import KINDS
        from huxiao.reports.kinds import register_document

        register_nav("应急处置", "incidents:incident-list", Cap.SCHOOL_VIEW, order=92)
        register_actions(AUDIT_ACTIONS)
        KINDS.register_choices(NotifyKind)
        SOURCES.register("incident", "案事件")
        SOURCES.register("drill", "应急演练")
        register_source("incidents.incident", "案事件记录", selectors.source_url)
        register_source("incidents.drill", "应急演练记录", selectors.drill_source_url)
        register_facts(facts.FACTS, facts.provider)
        register_home_cards(selectors.home_cards)
        register_document(
            Document.CIRCULAR.value, str(Document.CIRCULAR.label), sample=selectors.circular_sample
        )
        register_figures(figures.COLUMNS, figures.provider, per_school=figures.by_school)
        register_demo("huxiao.incidents.demo", order=57)

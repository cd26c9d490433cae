from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "huxiao.duty"
    label = "duty"
    verbose_name = "护学岗与巡逻"

    def ready(self) -> None:
        from django.urls import reverse

        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core import registry
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo
        from huxiao.duty import figures
        from huxiao.duty.choices import AUDIT_ACTIONS
        from huxiao.hazards.sources import register_source

        register_actions(AUDIT_ACTIONS)

        register_nav("护学岗", "duty:station", Cap.DUTY_LOG, order=80)  # the police: their station page
        register_nav("护学岗", "duty:coverage", Cap.SCHOOL_VIEW, order=81)
        register_demo("huxiao.duty.demo", order=30)

        registry.register_facts(figures.FACTS, figures.facts_provider)
        # coverage sums over schools (a roll-up reads it per school once); a patrol past two
        # schools counts once per set of schools, so patrols are counted per row
        registry.register_figures(
            figures.COVERAGE_COLUMNS, figures.coverage_figures, per_school=figures.coverage_by_school
        )
        registry.register_figures(figures.PATROL_COLUMNS, figures.patrol_figures)

        def patrol_url(hazard, rest: str) -> str | None:
            return reverse("duty:patrol-detail", args=[int(rest)]) if rest.isdigit() else None

        register_source("duty.patrol", "巡逻记录", patrol_url)

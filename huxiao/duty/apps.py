from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "huxiao.duty"
    label = "duty"
    verbose_name = "护学岗与巡逻"

    def ready(self) -> None:
        from django.urls import reverse

        from huxiao.core import registry
        from huxiao.duty import figures
        from huxiao.hazards.sources import register_source

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

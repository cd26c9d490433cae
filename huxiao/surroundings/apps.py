from django.apps import AppConfig


class SurroundingsConfig(AppConfig):
    name = "huxiao.surroundings"
    label = "surroundings"
    verbose_name = "周边与交通"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import SECTION_B, Column, register_demo, register_figures
        from huxiao.hazards.sources import register_source
        from huxiao.surroundings import selectors, signals  # noqa: F401  (connects the School handler)
        from huxiao.surroundings.choices import AUDIT_ACTIONS

        register_actions(AUDIT_ACTIONS)

        register_nav("周边与地图", "surroundings:map", Cap.SCHOOL_VIEW, order=90)
        register_demo("huxiao.surroundings.demo", order=40)

        register_figures(
            [
                Column("sur_venues_checked", "清查周边场所数", SECTION_B, 180, "处"),
                Column("sur_problems_found", "发现周边问题数", SECTION_B, 181, "个"),
                Column("sur_traffic_observations", "校门交通秩序检查次数", SECTION_B, 182, "次"),
            ],
            selectors.monthly_figures,
            per_school=selectors.monthly_by_school,
        )
        register_source("surroundings.check", "周边场所检查", selectors.check_source_url)
        register_source("surroundings.traffic", "校门交通秩序检查", selectors.observation_source_url)

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "huxiao.inspections"
    label = "inspections"
    verbose_name = "检查"

    def ready(self) -> None:
        """Contribute this semester's inspection counts (school facts for the standards engine),
        the monthly-report columns, and the link from a hazard back to its inspection item,
        its menu entry and its inbox messages."""
        from django.urls import reverse

        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import (
            SECTION_B,
            Column,
            Fact,
            register_demo,
            register_facts,
            register_figures,
        )
        from huxiao.hazards.sources import register_source
        from huxiao.inspections import selectors
        from huxiao.inspections.choices import AUDIT_ACTIONS, NotifyKind
        from huxiao.notifications.kinds import KINDS

        register_actions(AUDIT_ACTIONS)

        register_nav("检查", "inspections:inspection-list", Cap.SCHOOL_VIEW, order=60)
        register_demo("huxiao.inspections.demo", order=20)

        KINDS.register_choices(NotifyKind)
        register_facts(
            [
                Fact("supervision_inspections_semester", "本学期督导检查次数", "次"),
                Fact("self_inspections_semester", "本学期学校自查次数", "次"),
            ],
            selectors.facts_provider,
        )
        register_figures(
            [
                Column("insp_self", "学校自查次数", SECTION_B, 100, "次"),
                Column("insp_spot", "学区/教育部门抽查次数", SECTION_B, 101, "次"),
                Column("insp_police", "公安核查次数", SECTION_B, 102, "次"),
                Column("insp_joint", "联合检查次数", SECTION_B, 103, "次"),
                Column("insp_supervision", "督导次数", SECTION_B, 104, "次"),
            ],
            selectors.figures_provider,
            per_school=selectors.figures_by_school,
        )

        def answer_link(hazard, rest: str) -> str | None:
            return reverse("inspections:answer-redirect", args=[int(rest)]) if rest.isdigit() else None

        register_source("inspections.answer", "检查记录", answer_link)

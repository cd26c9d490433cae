from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "huxiao.education"
    label = "education"
    verbose_name = "安全教育与法治辅导员"

    def ready(self) -> None:
        """The menu entry, audit actions, the inbox's reminder, the 聘书, the 统计表 columns that
        replace the hand-typed 安全教育 and 法治辅导员 figures, the home cards, the demo."""
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo, register_figures, register_home_cards
        from huxiao.education import figures, selectors
        from huxiao.education.choices import AUDIT_ACTIONS, Document, NotifyKind
        from huxiao.notifications.kinds import KINDS
        from huxiao.reports.kinds import register_document

        register_nav("安全教育", "education:activity-list", Cap.SCHOOL_VIEW, order=97)
        register_actions(AUDIT_ACTIONS)
        KINDS.register_choices(NotifyKind)
        register_document(Document.LETTER.value, str(Document.LETTER.label), sample=selectors.letter_sample)
        register_figures(figures.COLUMNS, figures.provider, per_school=figures.by_school)
        register_home_cards(selectors.home_panels)
        register_demo("huxiao.education.demo", order=58)

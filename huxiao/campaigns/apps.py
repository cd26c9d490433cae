from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "huxiao.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.campaigns import summary
        from huxiao.campaigns.choices import AUDIT_ACTIONS, Document, NotifyKind
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo
        from huxiao.notifications.kinds import KINDS
        from huxiao.reports.kinds import register_document

        register_actions(AUDIT_ACTIONS)

        register_nav("专项行动", "campaigns:campaign-list", Cap.SCHOOL_VIEW, order=30)
        register_demo("huxiao.campaigns.demo", order=50)

        """The campaign's menu entry, demo, inbox messages and Word document."""

        KINDS.register_choices(NotifyKind)
        register_document(Document.SUMMARY.value, str(Document.SUMMARY.label), sample=summary.summary_sample)

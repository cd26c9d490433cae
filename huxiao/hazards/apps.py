from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "huxiao.hazards"
    label = "hazards"
    verbose_name = "隐患闭环"

    def ready(self) -> None:
        """The hazard loop's menu entry, audit actions, inbox messages, sources and Word documents."""
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core.audit import register_actions
        from huxiao.hazards import document_samples as samples
        from huxiao.hazards.choices import AUDIT_ACTIONS, Document, NotifyKind, Source
        from huxiao.hazards.sources import SOURCES
        from huxiao.notifications.kinds import KINDS
        from huxiao.reports.kinds import register_document

        register_nav("隐患台账", "hazards:hazard-list", Cap.SCHOOL_VIEW, order=50)
        register_actions(AUDIT_ACTIONS)
        KINDS.register_choices(NotifyKind)
        SOURCES.register_choices(Source)
        for doc, sample in (
            (Document.NOTICE, samples.notice_sample),
            (Document.SUPERVISION, samples.rung_sample),
            (Document.INTERVIEW, samples.interview_sample),
            (Document.LISTING, samples.rung_sample),
            (Document.DOSSIER, samples.dossier_sample),
        ):
            register_document(doc.value, str(doc.label), sample=sample)

from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class StandardsConfig(AppConfig):
    name = "huxiao.standards"
    label = "standards"
    verbose_name = "三防标准"

    def ready(self) -> None:
        from huxiao.accounts.navigation import register_nav
        from huxiao.accounts.roles import Cap
        from huxiao.core import registry
        from huxiao.core.audit import register_actions
        from huxiao.core.registry import register_demo
        from huxiao.hazards.sources import register_source
        from huxiao.notifications.kinds import KINDS
        from huxiao.schools.models import School, SecurityProfile
        from huxiao.standards import facts, figures, signals
        from huxiao.standards.choices import AUDIT_ACTIONS, NotifyKind

        register_actions(AUDIT_ACTIONS)

        register_nav("三防达标", "standards:compliance", Cap.SCHOOL_VIEW, order=70)
        register_demo("huxiao.standards.demo", order=10)

        KINDS.register_choices(NotifyKind)
        registry.register_facts(facts.FACTS, facts.school_profile_facts)
        registry.register_figures(figures.COLUMNS, figures.provider, per_school=figures.by_school)
        post_save.connect(
            signals.profile_saved, sender=SecurityProfile, dispatch_uid="standards.profile_saved"
        )
        post_save.connect(signals.school_saved, sender=School, dispatch_uid="standards.school_saved")
        registry.school_facts_changed.connect(signals.facts_changed, dispatch_uid="standards.facts_changed")
        post_migrate.connect(signals.seed_after_migrate, sender=self, dispatch_uid="standards.seed")
        register_source("standards", "三防达标评估", signals.hazard_source_url)

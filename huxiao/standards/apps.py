from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class StandardsConfig(AppConfig):
    name = "huxiao.standards"
    label = "standards"
    verbose_name = "三防标准"

    def ready(self) -> None:
        from huxiao.core import registry
        from huxiao.hazards.sources import register_source
        from huxiao.schools.models import School, SecurityProfile
        from huxiao.standards import facts, figures, signals

        registry.register_facts(facts.FACTS, facts.school_profile_facts)
        registry.register_figures(figures.COLUMNS, figures.provider, per_school=figures.by_school)
        post_save.connect(
            signals.profile_saved, sender=SecurityProfile, dispatch_uid="standards.profile_saved"
        )
        post_save.connect(signals.school_saved, sender=School, dispatch_uid="standards.school_saved")
        post_migrate.connect(signals.seed_after_migrate, sender=self, dispatch_uid="standards.seed")
        register_source("standards", "三防达标评估", signals.hazard_source_url)

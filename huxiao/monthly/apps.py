from django.apps import AppConfig


class MonthlyConfig(AppConfig):
    name = "huxiao.monthly"
    label = "monthly"
    verbose_name = "月度统计表"

    def ready(self) -> None:
        from huxiao.monthly import figures

        figures.register()

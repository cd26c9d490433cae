from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "huxiao.reports"
    label = "reports"
    verbose_name = "文书与报表"

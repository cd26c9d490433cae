from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "huxiao.duty"
    label = "duty"
    verbose_name = "护学岗与巡逻"

from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "huxiao.schools"
    label = "schools"
    verbose_name = "学校名录"

from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "huxiao.standards"
    label = "standards"
    verbose_name = "三防标准"

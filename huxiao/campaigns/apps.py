from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "huxiao.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "huxiao.notifications"
    label = "notifications"
    verbose_name = "消息"

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huxiao.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self):
        from huxiao.accounts import signals  # noqa: F401  (connects the login audit handlers)

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "huxiao.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

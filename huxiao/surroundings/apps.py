from django.apps import AppConfig


class SurroundingsConfig(AppConfig):
    name = "huxiao.surroundings"
    label = "surroundings"
    verbose_name = "周边与交通"

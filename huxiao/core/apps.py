from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "huxiao.core"
    label = "core"
    verbose_name = "基础数据"

    def ready(self) -> None:
        """The input rules every form field obeys (core.validation); the production checks."""
        from huxiao.core import checks, validation  # noqa: F401  (checks registers the production checks)

        validation.install()

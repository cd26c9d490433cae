"""The inbox's message kinds. Each app declares its own (a `NotifyKind` TextChoices in its
choices.py, registered in its AppConfig.ready()); `Notification.kind` stores the code and the
inbox shows the label — a new app's messages need no change here."""

from huxiao.core.kinds import Registry

KINDS = Registry("消息类型", max_length=20)

"""An audit event cannot be changed or deleted through the model."""

import pytest

from huxiao.core.models import AuditEvent


def test_saving_an_existing_event_raises(cast):
    event = AuditEvent.objects.first()
    event.after = {"name": "篡改"}
    with pytest.raises(ValueError, match="只能追加"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).after != {"name": "篡改"}


def test_deleting_an_event_raises(cast):
    event = AuditEvent.objects.first()
    with pytest.raises(ValueError, match="只能追加"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()

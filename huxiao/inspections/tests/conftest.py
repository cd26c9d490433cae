"""The `seeded` fixture: the eight seed checklists (by name), uploads in a throw-away folder."""

import pytest

from huxiao.inspections.models import ChecklistTemplate
from huxiao.inspections.seeds import seed_checklists


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_checklists()
    return {t.name: t for t in ChecklistTemplate.objects.all()}

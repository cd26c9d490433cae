"""The hazard tests' clock: `frozen` stands still on an ordinary term-time Tuesday (move it with
`frozen.move_to(at(...))`). Builders shared with other apps' tests are in huxiao/testsupport/."""

from __future__ import annotations

import pytest
import time_machine

from huxiao.hazards.tests.factories import FROZEN_AT


@pytest.fixture
def frozen():
    """Time stands still at FROZEN_AT."""
    with time_machine.travel(FROZEN_AT, tick=False) as traveller:
        yield traveller

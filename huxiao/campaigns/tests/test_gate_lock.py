"""The gate is re-checked inside the service's transaction with the school's hazard rows locked:
a hazard being reopened at that very moment (its row held by the hazard service) is waited for
and then seen, so the school is not recorded as 验收通过 on a stale read.

Needs real row locks and two connections: PostgreSQL only (on SQLite writers are serialised
by the IMMEDIATE transaction mode, so the race cannot happen there)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from huxiao.campaigns import services
from huxiao.campaigns.gates import GateBlocked
from huxiao.campaigns.models import PhaseEntry
from huxiao.campaigns.tests.factories import make_campaign, phase
from huxiao.hazards.choices import Severity, State
from huxiao.hazards.models import Hazard
from huxiao.testsupport.hazards import make_hazard

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_root"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_hazard_reopened_during_the_check_is_waited_for(cast):
    campaign = make_campaign(cast)
    hazard = make_hazard(cast, cast.mingde, severity=Severity.MAJOR, state=State.CLOSED, title="围墙")
    holding, done = threading.Event(), threading.Event()

    def reopen_slowly():
        # what hazard_transition("reopen") does: lock the hazard row, change it, commit later
        try:
            with transaction.atomic():
                Hazard.objects.select_for_update().filter(pk=hazard.pk).update(state=State.OPEN)
                holding.set()
                time.sleep(0.6)
        finally:
            connection.close()
            done.set()

    worker = threading.Thread(target=reopen_slowly)
    worker.start()
    assert holding.wait(5)
    started = time.monotonic()
    with pytest.raises(GateBlocked, match="围墙"):
        services.entry_pass(
            acting_user=cast.centre_officer,
            phase=phase(campaign, "验收"),
            school=cast.mingde,
            expected_version=0,
        )
    assert time.monotonic() - started > 0.3  # it waited for the reopening to commit
    worker.join(5)
    assert done.is_set() and not PhaseEntry.objects.exists()

"""The hazard page costs the same number of queries however long its timeline and however many
photos it has (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huxiao.hazards import services
from huxiao.testsupport.files import photo
from huxiao.testsupport.hazards import make_hazard

pytestmark = pytest.mark.usefixtures("media_root", "frozen")


def queries_for(client, hazard) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("hazards:hazard-detail", args=[hazard.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_the_hazard_page_query_count_does_not_grow_with_its_history(cast, client):
    short = make_hazard(cast, state="rectifying")
    long = make_hazard(cast, state="rectifying", photos=[photo(), photo()])
    for i in range(5):
        services.hazard_add_evidence(
            acting_user=cast.qingsong_lead,
            hazard=long,
            phase="after",
            photos=[photo(), photo()],
            caption=f"第{i}次",
        )
    client.force_login(cast.qingsong_lead)
    assert queries_for(client, short) == queries_for(client, long)

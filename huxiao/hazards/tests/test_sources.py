"""The hazard page links a hazard to the record it came from, when its app registered how."""

import pytest

from huxiao.hazards import sources
from huxiao.testsupport.hazards import make_hazard


@pytest.fixture
def registered():
    saved = dict(sources._RESOLVERS)
    sources.register_source("testapp.thing", "检查记录", lambda hazard, rest: f"/things/{rest}/")
    yield
    sources._RESOLVERS.clear()
    sources._RESOLVERS.update(saved)


@pytest.mark.django_db
def test_registered_prefix_resolves(cast, registered):
    hazard = make_hazard(cast, source_ref="testapp.thing:42")
    link = sources.source_link(hazard)
    assert link is not None and (link.label, link.url) == ("检查记录", "/things/42/")


@pytest.mark.django_db
def test_unknown_or_plain_refs_give_no_link(cast, registered):
    assert sources.source_link(make_hazard(cast, source_ref="nothing:1")) is None
    assert sources.source_link(make_hazard(cast, source_ref="")) is None

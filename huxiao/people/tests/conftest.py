import pytest


@pytest.fixture(autouse=True)
def _default_categories(request):
    """A transactional test elsewhere flushes the tables, data migrations' rows included."""
    if (
        "db" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or request.node.get_closest_marker("django_db")
    ):
        from huxiao.people.categories import ensure_defaults

        request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
        ensure_defaults()

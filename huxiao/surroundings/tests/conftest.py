from huxiao.surroundings.tests.factories import world  # noqa: F401  (fixture)

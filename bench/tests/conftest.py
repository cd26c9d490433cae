from huxiao.testsupport.keys import people_keys  # noqa: F401  (autouse: the registers' keys)

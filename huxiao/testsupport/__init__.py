"""What tests share and nothing else imports: the browser plumbing (`browser`), … The pytest
fixtures built from it live in the root `huxiao/conftest.py`."""

"""Every page except the login page sends an anonymous visitor to log in — including pages
added later, which this test finds in the URL map by itself."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"accounts:login"}


def url_names(patterns=None, namespace=""):
    """(name, number of arguments) of every named route."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern.regex.groups


ROUTES = sorted(set(url_names()) - {(n, a) for n, a in url_names() if n in PUBLIC})


def test_the_map_has_the_foundation_pages():
    names = {n for n, _ in ROUTES}
    assert {"dashboards:home", "schools:school-list", "audit:list", "accounts:user-list"} <= names


@pytest.mark.parametrize(("name", "args"), ROUTES, ids=[n for n, _ in ROUTES])
def test_an_anonymous_visitor_is_sent_to_login(client, db, name, args):
    url = reverse(name, args=[1] * args)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302, (name, response.status_code)
        assert response.url.startswith(reverse("accounts:login") + "?next="), response.url

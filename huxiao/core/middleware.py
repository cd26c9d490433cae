"""Request-wide middleware: the audit IP context and security headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from huxiao.core.audit import request_ip


def content_security_policy() -> str:
    """Nothing loads from outside — intranet deployments have no CDN — except map tiles from
    the tile server the deployment configured (`HUXIAO_MAP_TILE_URL`, e.g. its 天地图 proxy)."""
    img = ["'self'", "data:", "blob:"]
    parts = urlsplit(settings.HUXIAO_MAP_TILE_URL or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        host = parts.netloc
        if "{" in host:  # t{s}.tianditu.gov.cn → *.tianditu.gov.cn
            host = "*." + host.split(".", 1)[1]
        img.append(f"{parts.scheme}://{host}")
    return (
        f"default-src 'self'; img-src {' '.join(img)}; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


class RequestContextMiddleware:
    """Puts the client IP where `audit.record()` can read it, for this request only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)


class SecurityHeadersMiddleware:
    """Adds the headers Django 5.2 does not set itself (CSP, Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

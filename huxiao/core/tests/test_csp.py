"""The content security policy allows nothing from outside but a configured tile server."""

from django.test import override_settings

from huxiao.core.middleware import content_security_policy


def test_no_tile_server_means_self_only():
    with override_settings(HUXIAO_MAP_TILE_URL=""):
        assert "img-src 'self' data: blob:;" in content_security_policy()


def test_configured_tile_host_is_allowed_for_images_only():
    with override_settings(HUXIAO_MAP_TILE_URL="https://t{s}.tianditu.gov.cn/vec_w/{z}/{x}/{y}.png"):
        policy = content_security_policy()
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn;" in policy
    assert "script-src 'self';" in policy and "default-src 'self';" in policy


def test_a_non_http_setting_adds_nothing():
    with override_settings(HUXIAO_MAP_TILE_URL="javascript:alert(1)"):
        assert "javascript" not in content_security_policy()

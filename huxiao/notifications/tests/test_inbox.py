"""notifications:* — the inbox: only one's own messages, unread first, the unread badge in the
top bar, opening a message marks it read and follows only same-site links, mark one / all read."""

import pytest
from django.urls import reverse

from huxiao.hazards.choices import NotifyKind
from huxiao.notifications.models import Notification
from huxiao.notifications.services import notify
from huxiao.notifications.views import safe_target
from huxiao.testsupport.cast import assert_redirects_to_login

LIST = reverse("notifications:notification-list")
READ_ALL = reverse("notifications:notification-read-all")


def message(user, title, url="/hazards/1/", **kwargs):
    notify([user], kind=NotifyKind.ASSIGNED, title=title, url=url, **kwargs)
    return Notification.objects.filter(user=user).latest("pk")


@pytest.fixture
def inbox(cast):
    """Three messages for the 青松 safety lead (the middle one already read), one for 明德's."""
    first = message(cast.qingsong_lead, "新交办隐患：宿舍楼消防通道")
    read = message(cast.qingsong_lead, "隐患已验收销号：围墙")
    Notification.objects.filter(pk=read.pk).update(read_at="2026-11-28T09:00:00+08:00")
    last = message(cast.qingsong_lead, "收到整改通知书 蒲吕派整字〔2026〕第0001号", url="/hazards/notices/1/")
    other = message(cast.mingde_lead, "明德小学的消息")
    return {"first": first, "read": read, "last": last, "other": other}


def test_it_sends_an_anonymous_visitor_to_login(db, client):
    assert_redirects_to_login(client.get(LIST))
    assert_redirects_to_login(client.post(READ_ALL))


def test_it_lists_only_the_users_own_messages_unread_first(cast, client, inbox):
    client.force_login(cast.qingsong_lead)
    response = client.get(LIST)
    assert response.status_code == 200
    titles = [n.title for n in response.context["page"]]
    assert titles == [inbox["last"].title, inbox["first"].title, inbox["read"].title]
    assert "明德小学的消息" not in response.content.decode()


def test_the_top_bar_shows_the_unread_count_on_every_page(cast, client, inbox):
    client.force_login(cast.qingsong_lead)
    response = client.get(reverse("dashboards:home"))
    assert response.context["unread_count"] == 2
    html = response.content.decode()
    assert f'href="{LIST}"' in html
    assert "data-unread>2</span>" in html
    client.force_login(cast.observer)
    response = client.get(reverse("dashboards:home"))
    assert response.context["unread_count"] == 0
    assert "data-unread" not in response.content.decode()


def test_opening_a_message_marks_it_read_and_follows_its_link(cast, client, inbox):
    client.force_login(cast.qingsong_lead)
    response = client.get(reverse("notifications:notification-open", args=[inbox["last"].pk]))
    assert response.status_code == 302
    assert response.url == "/hazards/notices/1/"
    inbox["last"].refresh_from_db()
    assert inbox["last"].read_at is not None
    inbox["first"].refresh_from_db()
    assert inbox["first"].read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_a_message_never_sends_anyone_off_site(cast, client, url):
    note = message(cast.qingsong_lead, "奇怪的链接", url=url)
    client.force_login(cast.qingsong_lead)
    response = client.get(reverse("notifications:notification-open", args=[note.pk]))
    assert response.status_code == 302
    assert response.url == LIST
    note.refresh_from_db()
    assert note.read_at is not None


def test_safe_target_keeps_relative_paths_with_queries():
    assert safe_target("/hazards/3/?tab=timeline") == "/hazards/3/?tab=timeline"
    assert safe_target("hazards/3/") is None


def test_nobody_opens_or_marks_someone_elses_message(cast, client, inbox):
    client.force_login(cast.qingsong_lead)
    other = inbox["other"].pk
    assert client.get(reverse("notifications:notification-open", args=[other])).status_code == 404
    assert client.post(reverse("notifications:notification-read", args=[other])).status_code == 404
    inbox["other"].refresh_from_db()
    assert inbox["other"].read_at is None


def test_marking_one_read_takes_a_post_and_keeps_the_page(cast, client, inbox):
    client.force_login(cast.qingsong_lead)
    url = reverse("notifications:notification-read", args=[inbox["first"].pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"page": "1"})
    assert response.status_code == 302
    assert response.url == f"{LIST}?page=1"
    inbox["first"].refresh_from_db()
    assert inbox["first"].read_at is not None
    assert client.get(LIST).context["unread_count"] == 1


def test_marking_all_read_touches_only_the_users_messages(cast, client, inbox):
    client.force_login(cast.qingsong_lead)
    response = client.post(READ_ALL, follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=cast.qingsong_lead, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.mingde_lead, read_at__isnull=True).count() == 1
    assert response.context["unread_count"] == 0


def test_the_inbox_pages_twenty_at_a_time(cast, client):
    for i in range(25):
        message(cast.qingsong_lead, f"消息{i:02d}")
    client.force_login(cast.qingsong_lead)
    page = client.get(LIST).context["page"]
    assert len(page.object_list) == 20
    assert page.paginator.num_pages == 2
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5


# session, user, memberships, their regions, the unread count (top bar), page count, the page
# of messages, and the session save (savepoint, update, release)
INBOX_QUERIES = 10


@pytest.mark.parametrize("extra", [0, 15])
def test_the_inbox_query_count_does_not_grow_with_the_messages(
    cast, client, django_assert_num_queries, extra
):
    for i in range(3 + extra):
        message(cast.qingsong_lead, f"消息{i:02d}")
    client.force_login(cast.qingsong_lead)
    with django_assert_num_queries(INBOX_QUERIES):
        assert client.get(LIST).status_code == 200


def test_every_app_registers_its_message_kinds_and_an_unknown_kind_is_refused(cast):
    from django.core.exceptions import ValidationError

    from huxiao.notifications.kinds import KINDS

    assert KINDS.label("assigned") == "隐患交办"  # hazards
    assert KINDS.label("circular") == "通报"  # campaigns
    assert KINDS.label("monthly_submitted") == "统计表待审核"  # monthly
    with pytest.raises(ValidationError):
        notify([cast.police], kind="no_such_kind", title="x")
    assert not Notification.objects.filter(user=cast.police).exists()

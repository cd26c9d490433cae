"""The inbox: the user's own messages, unread first; open one (marks it read and follows its
link), mark one or all read. A user only ever sees their own messages (404 for anyone else's)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from huxiao.notifications.models import Notification
from huxiao.notifications.services import mark_read

PAGE_SIZE = 20


def safe_target(url: str) -> str | None:
    """`url` if it is a same-site relative path (`/hazards/3/`), else None — a message never
    sends anyone to another site (no scheme, no host, no `//host`, no backslash tricks)."""
    if not url or not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None, require_https=False):
        return None
    return url


def notification_list(request):
    inbox = Notification.objects.filter(user=request.user).order_by(
        Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "-created_at",
        "-pk",
    )
    page = Paginator(inbox, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page, "query": ""})


def notification_open(request, pk):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(acting_user=request.user, notification_ids=[note.pk])
    target = safe_target(note.url)
    if target is None:
        if note.url:
            messages.warning(request, "该消息的链接不是本平台地址，已忽略。")
        return redirect("notifications:notification-list")
    return redirect(target)


@require_POST
def notification_read(request, pk):
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    mark_read(acting_user=request.user, notification_ids=[note.pk])
    return _back(request)


@require_POST
def notification_read_all(request):
    count = mark_read(acting_user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。" if count else "没有未读消息。")
    return _back(request)


def _back(request):
    """Back to the inbox page the user was on."""
    url = reverse("notifications:notification-list")
    page = request.POST.get("page", "")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)

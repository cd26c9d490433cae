"""Pages of the duty app: the station page (today, the last school day, the month), coverage per
region with drill-down, posts (setup, page with QR code, printable card, backfill), the QR
check-in page a phone opens at the gate, staffing standards, and patrols.

Each view: parse, `access_*` (404 outside scope, 403 without the capability), call a service,
render or redirect. Service errors come back as Chinese messages on the form, never a 500.
"""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.errors import ConflictError, error_message
from huxiao.core.forms import apply_validation_error
from huxiao.core.models import Region
from huxiao.core.semesters import is_school_day
from huxiao.core.validation import int_param, month_param
from huxiao.duty import exports, selectors, services, staffing
from huxiao.duty.access import (
    RECORD_WRITERS,
    access_group,
    access_patrol,
    access_post,
    access_post_by_token,
    access_record,
    can_post,
    group_org_ids,
    may_update_record,
    station_org_ids,
)
from huxiao.duty.choices import COUNT_FIELDS
from huxiao.duty.forms import (
    BackfillForm,
    CheckInForm,
    CheckOutForm,
    GroupForm,
    PatrolForm,
    PatrolHazardForm,
    PostForm,
    RecordForm,
    StandardForm,
)
from huxiao.duty.models import DutyCheckIn, DutyRecord, PatrolGroup, PatrolLog, StaffingStandard
from huxiao.duty.qr import qr_svg
from huxiao.lib.dates import cn_date
from huxiao.schools.models import School

PAGE_SIZE = 25


# --- Station page and coverage ------------------------------------------------------------------


def station(request):
    """护学岗: today's coverage, the last school day's gaps, the month's rates."""
    require_cap(request.user, Cap.DUTY_LOG)
    page = selectors.station_page(request.user)
    return render(request, "duty/station.html", {"page": page, "now": timezone.localtime()})


def _month(value: str | None) -> tuple[dt.date, dt.date]:
    """`YYYY-MM` → [first day, last day]; the current month ends yesterday (today still runs)."""
    today = timezone.localdate()
    first = month_param(value, today.replace(day=1))
    nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    last = min(nxt - dt.timedelta(days=1), today - dt.timedelta(days=1))
    return first, last


def _coverage_region(request) -> Region | None:
    """The region asked for (`?region=`), inside the user's jurisdiction (else 404), or their top one."""
    if request.GET.get("region"):
        region = selectors.coverage_region(request.user, _int(request.GET["region"]))
        if region is None:
            raise Http404("区划不存在或不在您的管辖范围内。")
        return region
    return selectors.top_region(request.user)


def coverage(request):
    """护学岗覆盖 per region for 平安办, 学区 and the district; drill down by region, see stations and schools."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    region = _coverage_region(request)
    start, end = _month(request.GET.get("month"))
    month = f"{start:%Y-%m}"
    page = selectors.coverage_page(
        request.user, region, start, end, lambda r: f"{reverse('duty:coverage')}?region={r.pk}&month={month}"
    )
    return render(
        request,
        "duty/coverage.html",
        {
            "page": page,
            "start": start,
            "end": end,
            "month": month,
            "empty": end < start,
            "can_export": scope_of(request.user).has(Cap.SCHOOL_EXPORT) and page.region is not None,
        },
    )


def coverage_export(request):
    """护学岗执勤记录表 (.xlsx) of the coverage page's region and month: the records up to today,
    at most `exports.ROW_LIMIT` — a larger region is exported one sub-region at a time."""
    require_cap(request.user, Cap.SCHOOL_EXPORT)
    region = _coverage_region(request)
    if region is None:
        raise Http404("您的管辖范围内没有可导出的区划。")
    start, _ = _month(request.GET.get("month"))
    month_end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    end = min(month_end, timezone.localdate())
    schools = School.objects.visible_to(request.user).active().within(region)
    back = f"{reverse('duty:coverage')}?region={region.pk}&month={start:%Y-%m}"
    n = DutyRecord.objects.filter(post__school__in=schools, date__gte=start, date__lte=end).count()
    if n > exports.ROW_LIMIT:
        messages.error(
            request,
            f"{region.name}{start.year}年{start.month}月共有执勤记录{n}条，超过单个文件{exports.ROW_LIMIT}条的上限，"
            "请在下方选择下级区划后分别导出。",
        )
        return redirect(back)
    unit = "、".join(
        sorted(
            {m.organisation.name for m in request.user.memberships.active().select_related("organisation")}
        )
    )
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
    exports.record_export(
        request.user,
        region=region,
        start=start,
        end=end,
        rows=exports.records(schools, start, end),
        out=out,
        unit=unit or str(request.user),
    )
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"护学岗执勤记录_{region.name}_{start:%Y%m}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _int(value) -> int | None:
    return int_param(str(value)) if value is not None else None


# --- Posts --------------------------------------------------------------------------------------


def post_list(request):
    """护学岗设置: the posts in scope, and the schools still without one."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    school_id = _int(request.GET.get("school", ""))
    posts = selectors.post_list(request.user, school_id)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = scope_of(request.user).has(Cap.DUTY_MANAGE)
    missing = list(selectors.schools_without_post(request.user)[:50]) if can_manage and not school_id else []
    return render(
        request,
        "duty/post_list.html",
        {
            "page": page,
            "missing": missing,
            "can_manage": can_manage,
            "school": School.objects.visible_to(request.user).filter(pk=school_id).first()
            if school_id
            else None,
            "query": f"school={school_id}" if school_id else "",
        },
    )


def post_create(request):
    require_cap(request.user, Cap.DUTY_MANAGE)
    form = PostForm(request.POST or None, user=request.user, initial={"school": request.GET.get("school")})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(acting_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已设置护学岗：{post}。请打印二维码张贴在岗位。")
            return redirect("duty:post-detail", pk=post.pk)
    return render(request, "duty/post_form.html", {"form": form, "post": None})


def post_edit(request, pk):
    post = access_post(request.user, pk, cap=Cap.DUTY_MANAGE)
    form = PostForm(request.POST or None, user=request.user, post=post)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_update(
                acting_user=request.user,
                post=post,
                expected_version=form.cleaned_data.get("version"),
                **form.service_kwargs(),
            )
        except (ValidationError, ConflictError) as exc:
            if isinstance(exc, ValidationError):
                apply_validation_error(form, exc)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "已保存护学岗设置。")
            return redirect("duty:post-detail", pk=post.pk)
    return render(request, "duty/post_form.html", {"form": form, "post": post})


def _checkin_url(request, post) -> str:
    return request.build_absolute_uri(reverse("duty:checkin", args=[post.token]))


def post_detail(request, pk):
    """One post: its periods, the staffing it needs, its QR code and the last 30 days of records."""
    post = access_post(request.user, pk)
    since = timezone.localdate() - dt.timedelta(days=30)
    return render(
        request,
        "duty/post_detail.html",
        {
            "post": post,
            "periods": post.periods.order_by("start"),
            "minimums": staffing.resolve(post),
            "records": _with_state(selectors.post_records(post, since), staffing.resolve(post)),
            "qr": qr_svg(_checkin_url(request, post)),
            "checkin_url": _checkin_url(request, post),
            "can_manage": can_post(request.user, post, Cap.DUTY_MANAGE),
            "can_backfill": bool(station_org_ids(request.user, post, Cap.DUTY_MANAGE)),
        },
    )


def _with_state(records, minimums):
    for record in records:
        record.meets = staffing.meets(record, minimums)
        record.shortfall = staffing.shortfall(record, minimums)
    return records


def post_card(request, pk):
    """A printable card (A5/A4) with the post's QR code, to put up at the gate."""
    post = access_post(request.user, pk)
    return render(
        request,
        "duty/post_card.html",
        {
            "post": post,
            "qr": qr_svg(_checkin_url(request, post), scale=10),
            "periods": post.periods.order_by("start"),
        },
    )


def post_qr(request, pk):
    """The QR code alone, as an SVG file (for documents)."""
    post = access_post(request.user, pk)
    response = HttpResponse(qr_svg(_checkin_url(request, post), scale=10), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="duty-post-{post.pk}.svg"'
    return response


@require_POST
def post_token(request, pk):
    post = access_post(request.user, pk, cap=Cap.DUTY_MANAGE)
    services.post_new_token(acting_user=request.user, post=post)
    messages.success(request, "已更换二维码：旧二维码即刻失效，请重新打印张贴。")
    return redirect("duty:post-detail", pk=post.pk)


def post_backfill(request, pk):
    """补录 a missed record (the responsible station only; a reason is required)."""
    post = access_post(request.user, pk)
    if not station_org_ids(request.user, post, Cap.DUTY_MANAGE):
        raise PermissionDenied("只有负责该护学岗的派出所可以补录执勤记录。")
    initial = {"date": request.GET.get("date"), "period": request.GET.get("period")}
    form = BackfillForm(request.POST or None, post=post, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.duty_backfill(
                acting_user=request.user,
                post=post,
                period=data["period"],
                date=data["date"],
                reason=data["reason"],
                notes=data["notes"],
                incidents=data["incidents"],
                **form.counts(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"已补录{cn_date(record.date)}{record.period.get_kind_display()}执勤记录（标记为补录）。",
            )
            return redirect("duty:post-detail", pk=post.pk)
    return render(request, "duty/post_backfill.html", {"form": form, "post": post})


# --- The QR check-in page ----------------------------------------------------------------------


def _current_period(periods, now: dt.datetime):
    """The period running now, else the next one today, else the last one."""
    t = now.time()
    periods = list(periods)
    for p in periods:
        opens = (dt.datetime.combine(now.date(), p.start) - services.CHECK_IN_EARLY).time()
        if opens <= t <= p.end:
            return p
    upcoming = [p for p in periods if p.start > t]
    return upcoming[0] if upcoming else (periods[-1] if periods else None)


def checkin(request, token):
    """The page a post's QR code opens: check in for the current period, record who stood, check out."""
    post = access_post_by_token(request.user, token)
    if not can_post(request.user, post, Cap.DUTY_LOG):
        raise PermissionDenied("您的角色不能在该护学岗签到。")
    now = timezone.localtime()
    periods = post.periods.filter(is_active=True).order_by("start")
    current = _current_period(periods, now)
    form = CheckInForm(request.POST or None, post=post, initial={"period": current.pk if current else None})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.duty_check_in(
                acting_user=request.user, post=post, period=form.cleaned_data["period"], **form.position()
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_message(exc))
        except IntegrityError:
            form.add_error(None, "您已在本时段签到，不能重复签到。")
        else:
            messages.success(
                request, f"签到成功：{timezone.localtime():%H:%M}，{record.period.get_kind_display()}。"
            )
            return redirect("duty:checkin", token=token)
    today_records = {
        r.period_id: r
        for r in DutyRecord.objects.filter(post=post, date=now.date())
        .select_related("period")
        .order_by("period__start")
    }
    mine = {
        c.record_id: c
        for c in DutyCheckIn.objects.filter(record__in=today_records.values(), user=request.user)
    }
    record = today_records.get(current.pk) if current else None
    return render(
        request,
        "duty/checkin.html",
        {
            "post": post,
            "form": form,
            "current": current,
            "record": record,
            "mine": mine.get(record.pk) if record else None,
            "checkins": record.checkins.select_related("user") if record else [],
            "record_form": RecordForm(initial=_record_initial(record)) if record else None,
            "out_form": CheckOutForm(),
            "school_day": is_school_day(now.date()),
            "now": now,
            "minimums": staffing.resolve(post),
            "meets": staffing.meets(record, staffing.resolve(post)) if record else False,
        },
    )


def _record_initial(record: DutyRecord | None) -> dict:
    if record is None:
        return {}
    values = {name: getattr(record, name) for name, _, _ in COUNT_FIELDS}
    return {**values, "notes": record.notes, "incidents": record.incidents, "version": record.version}


@require_POST
def checkin_record(request, token, pk):
    """Save who stood at this post's record (the record must belong to the QR code's post)."""
    post = access_post_by_token(request.user, token)
    record = access_record(request.user, pk, post=post)
    if not may_update_record(request.user, record):  # the role first, then the form
        raise PermissionDenied(RECORD_WRITERS)
    form = RecordForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.duty_record_update(
                acting_user=request.user,
                record=record,
                expected_version=data["version"],
                notes=data["notes"],
                incidents=data["incidents"],
                **form.counts(),
            )
        except (ValidationError, ConflictError, PermissionDenied) as exc:
            messages.error(request, error_message(exc))
        else:
            messages.success(request, "已保存执勤情况。")
    else:
        messages.error(
            request, "；".join(f"{form[k].label}：{v[0]}" for k, v in form.errors.items() if k in form.fields)
        )
    return redirect("duty:checkin", token=token)


def checkout(request, token, pk):
    post = access_post_by_token(request.user, token)
    record = access_record(request.user, pk, post=post)
    if request.method != "POST":
        # an officer whose session expired at the gate taps 签退, signs in again and lands here
        # by GET: back to the post's page, where the 签退 button is waiting
        messages.info(request, "已重新登录，请再点一次“签退”。")
        return redirect("duty:checkin", token=token)
    form = CheckOutForm(request.POST)
    form.is_valid()
    try:
        checkin = services.duty_check_out(acting_user=request.user, record=record, **form.position())
    except ValidationError as exc:
        messages.error(request, error_message(exc))
    else:
        messages.success(request, f"签退成功：{timezone.localtime(checkin.checked_out_at):%H:%M}。辛苦了！")
    return redirect("duty:checkin", token=token)


# --- Staffing standards -------------------------------------------------------------------------


def standard_list(request):
    """护学岗力量标准 per region (the platform default applies where none is set)."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    visible = (
        StaffingStandard.objects.visible_to(request.user)
        .select_related("region", "updated_by")
        .order_by("region__path")
    )
    can_set = scope_of(request.user).has_regions(Cap.DUTY_MANAGE)
    form = StandardForm(request.POST or None, user=request.user) if can_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您的角色不能设置护学岗力量标准。")
        if form.is_valid():
            data = dict(form.cleaned_data)
            region = data.pop("region")
            version = data.pop("version")
            try:
                services.staffing_standard_set(
                    acting_user=request.user, region=region, expected_version=version, **data
                )
            except (ValidationError, ConflictError, PermissionDenied) as exc:
                form.add_error(None, error_message(exc))
            else:
                messages.success(request, f"已设置{region}护学岗力量标准。")
                return redirect("duty:standard-list")
    from huxiao.duty.choices import DEFAULT_MINIMUMS

    return render(
        request, "duty/standard_list.html", {"standards": visible, "form": form, "default": DEFAULT_MINIMUMS}
    )


# --- Patrols ------------------------------------------------------------------------------------


def patrol_list(request):
    """巡逻: the 平安守护小组 in scope and their patrol logs, newest first."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    groups = (
        PatrolGroup.objects.visible_to(request.user).select_related("station").prefetch_related("members")
    )
    logs = (
        PatrolLog.objects.visible_to(request.user)
        .select_related("group")
        .prefetch_related("schools")
        .order_by("-started_at")
    )
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_of(request.user)
    return render(
        request,
        "duty/patrol_list.html",
        {
            "groups": groups,
            "page": page,
            "can_manage": scope.has(Cap.DUTY_MANAGE),
            "can_log": scope.has(Cap.DUTY_LOG) or scope.has(Cap.DUTY_MANAGE),
        },
    )


def group_create(request):
    require_cap(request.user, Cap.DUTY_MANAGE)
    form = GroupForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.patrol_group_create(
                acting_user=request.user,
                name=data["name"],
                station=data["station"],
                members=data["members"],
                guards=data["guards"],
                parents=data["parents"],
                teachers=data["teachers"],
                volunteers=data["volunteers"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, f"已成立平安守护小组：{data['name']}。")
            return redirect("duty:patrol-list")
    return render(request, "duty/group_form.html", {"form": form, "group": None})


def group_edit(request, pk):
    group = access_group(request.user, pk)
    if not group_org_ids(request.user, group, Cap.DUTY_MANAGE):
        raise PermissionDenied("您的角色不能管理该巡逻小组。")
    form = GroupForm(request.POST or None, user=request.user, group=group)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members, version = data.pop("members"), data.pop("version")
        try:
            services.patrol_group_update(
                acting_user=request.user, group=group, expected_version=version, members=members, **data
            )
        except (ValidationError, ConflictError, PermissionDenied) as exc:
            form.add_error(None, error_message(exc))
        else:
            messages.success(request, "已保存巡逻小组。")
            return redirect("duty:patrol-list")
    return render(request, "duty/group_form.html", {"form": form, "group": group})


def patrol_create(request):
    if not (scope_of(request.user).has(Cap.DUTY_LOG) or scope_of(request.user).has(Cap.DUTY_MANAGE)):
        raise PermissionDenied("您的角色没有此项权限。")
    form = PatrolForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            log = services.patrol_log_create(acting_user=request.user, **data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError):
                apply_validation_error(form, exc)
            else:
                form.add_error(None, error_message(exc))
        else:
            messages.success(request, "已记录巡逻。")
            return redirect("duty:patrol-detail", pk=log.pk)
    return render(request, "duty/patrol_form.html", {"form": form})


def patrol_detail(request, pk):
    """One patrol; its findings can become a hazard at a covered school."""
    log = access_patrol(request.user, pk)
    from huxiao.hazards.models import Hazard

    hazards = Hazard.objects.visible_to(request.user).filter(source_ref=f"duty.patrol:{log.pk}")
    can_report = any(_can_report(request.user, s) for s in log.schools.all())
    form = PatrolHazardForm(request.POST or None, log=log) if can_report else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您的角色不能登记隐患。")
        if form.is_valid():
            try:
                hazard = services.patrol_finding_to_hazard(
                    acting_user=request.user, log=log, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    apply_validation_error(form, exc)
                else:
                    form.add_error(None, error_message(exc))
            else:
                messages.success(request, f"已登记隐患 {hazard.code}。")
                return redirect("duty:patrol-detail", pk=log.pk)
    return render(
        request,
        "duty/patrol_detail.html",
        {"log": log, "schools": log.schools.order_by("name"), "hazards": hazards, "form": form},
    )


def _can_report(user, school) -> bool:
    from huxiao.schools.scope import can_act_at

    return can_act_at(user, school, Cap.HAZARD_REPORT)

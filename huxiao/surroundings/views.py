"""周边与交通 pages: the venue register and one venue's page (with its checks and the hazards
they raised), the traffic points at school gates and their observations, and the map.

Each view: parse, `access_*` (404 outside scope, 403 without the capability), call a service,
render or redirect. A ConflictError re-renders the form with the service's message (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core.errors import ConflictError
from huxiao.core.files import serve_photo
from huxiao.core.forms import apply_validation_error
from huxiao.core.validation import is_db_integer
from huxiao.surroundings import selectors, services
from huxiao.surroundings.access import RECORD_CAPS, access_point, access_venue, can_point, can_venue
from huxiao.surroundings.forms import (
    ObservationForm,
    TrafficPointForm,
    VenueCheckForm,
    VenueFilterForm,
    VenueForm,
)
from huxiao.surroundings.models import VenueCheckPhoto

PAGE_SIZE = 25


# --- Venues ---------------------------------------------------------------------------------------


def venue_list(request):
    """周边场所 in the user's scope: filters, 25 a page, phones masked."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    form = VenueFilterForm(request.GET or None, user=request.user)
    venues = selectors.venue_register(request.user)
    venues = form.apply(venues) if form.is_valid() else venues.filter(is_archived=False)
    page = Paginator(venues, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surroundings/venue_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "radius": services.radius_m(),
            "can_manage": scope_of(request.user).has(Cap.SURROUNDINGS_MANAGE),
        },
    )


def venue_create(request):
    require_cap(request.user, Cap.SURROUNDINGS_MANAGE)
    form = VenueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_create(acting_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            n = venue.links.count()
            messages.success(request, f"已登记场所“{venue.name}”，周边{services.radius_m()}米内学校 {n} 所。")
            return redirect("surroundings:venue-detail", pk=venue.pk)
    return render(request, "surroundings/venue_form.html", {"form": form, "radius": services.radius_m()})


def venue_edit(request, pk):
    venue = access_venue(request.user, pk, caps=(Cap.SURROUNDINGS_MANAGE,))
    form = VenueForm(request.POST or None, instance=venue, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            venue = services.venue_update(
                acting_user=request.user,
                venue=venue,
                expected_version=form.cleaned_data.get("version"),
                **form.service_kwargs(),
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存场所“{venue.name}”（第{venue.version}版）。")
            return redirect("surroundings:venue-detail", pk=venue.pk)
    return render(
        request,
        "surroundings/venue_form.html",
        {"form": form, "venue": venue, "radius": services.radius_m()},
        status=status,
    )


@require_POST
def venue_archive(request, pk):
    venue = access_venue(request.user, pk, caps=(Cap.SURROUNDINGS_MANAGE,))
    archived = request.POST.get("archived", "1") == "1"
    version = request.POST.get("version", "")
    try:
        venue = services.venue_archive(
            acting_user=request.user,
            venue=venue,
            expected_version=int(version) if is_db_integer(version) else None,
            archived=archived,
        )
    except ConflictError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已归档该场所。" if archived else "已恢复该场所。")
    return redirect("surroundings:venue-detail", pk=venue.pk)


def venue_detail(request, pk):
    venue = access_venue(request.user, pk)
    may_manage = can_venue(request.user, venue, Cap.SURROUNDINGS_MANAGE)
    may_check = any(can_venue(request.user, venue, cap) for cap in RECORD_CAPS)
    return render(
        request,
        "surroundings/venue_detail.html",
        {
            "venue": venue,
            "links": venue.links.select_related("school").order_by("distance_m"),
            "checks": selectors.venue_checks(venue),
            "may_manage": may_manage,
            "may_check": may_check,
            # the full number only for those who work the venue; everyone else sees it masked
            "phone": venue.contact_phone if may_manage or may_check else venue.masked_phone,
            "radius": services.radius_m(),
        },
    )


def venue_check(request, pk):
    """检查登记: result, findings, photos; a problem becomes hazards at the schools near it."""
    venue = access_venue(request.user, pk, caps=RECORD_CAPS)
    form = VenueCheckForm(request.POST or None, request.FILES or None, venue=venue)
    if request.method == "POST" and form.is_valid():
        try:
            check = services.venue_check_record(acting_user=request.user, venue=venue, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc, default_field="photos")
        else:
            if check.result == "problem":
                if check.hazards_raised:
                    messages.success(
                        request,
                        f"已登记检查，问题已转为 {check.hazards_raised} 条周边环境隐患（责任部门：{venue.department.name}）。",
                    )
                else:
                    messages.warning(
                        request,
                        "已登记检查；该场所周边没有您可登记隐患的学校，问题未转为隐患，请告知有关单位。",
                    )
            else:
                messages.success(request, "已登记检查，结果正常。")
            return redirect("surroundings:venue-detail", pk=venue.pk)
    return render(request, "surroundings/check_form.html", {"form": form, "venue": venue})


def check_photo(request, pk, size):
    """A check photo, only through the venue's scope."""
    photo = VenueCheckPhoto.objects.select_related("check_record").filter(pk=pk).first()
    access_venue(request.user, photo.check_record.venue_id if photo else None)
    assert photo is not None  # access_venue answered 404 otherwise
    return serve_photo(photo, size)


# --- Traffic points -----------------------------------------------------------------------------


def point_list(request):
    require_cap(request.user, Cap.SCHOOL_VIEW)
    points = selectors.point_register(request.user).filter(is_archived=False)
    page = Paginator(points, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surroundings/point_list.html",
        {"page": page, "query": "", "can_manage": scope_of(request.user).has(Cap.SURROUNDINGS_MANAGE)},
    )


def point_create(request):
    require_cap(request.user, Cap.SURROUNDINGS_MANAGE)
    initial = {"school": request.GET.get("school")} if is_db_integer(request.GET.get("school", "")) else {}
    form = TrafficPointForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            point = services.traffic_point_create(acting_user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已登记校门交通点“{point}”。")
            return redirect("surroundings:point-detail", pk=point.pk)
    return render(request, "surroundings/point_form.html", {"form": form})


def point_edit(request, pk):
    point = access_point(request.user, pk, caps=(Cap.SURROUNDINGS_MANAGE,))
    form = TrafficPointForm(request.POST or None, instance=point, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        kwargs.pop("school", None)
        try:
            point = services.traffic_point_update(
                acting_user=request.user,
                point=point,
                expected_version=form.cleaned_data.get("version"),
                **kwargs,
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
            status = 409
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, f"已保存校门交通点“{point}”。")
            return redirect("surroundings:point-detail", pk=point.pk)
    return render(request, "surroundings/point_form.html", {"form": form, "point": point}, status=status)


def point_detail(request, pk):
    point = access_point(request.user, pk)
    return render(
        request,
        "surroundings/point_detail.html",
        {
            "point": point,
            "observations": selectors.point_observations(point),
            "may_manage": can_point(request.user, point, Cap.SURROUNDINGS_MANAGE),
            "may_observe": any(can_point(request.user, point, cap) for cap in RECORD_CAPS),
        },
    )


def point_observe(request, pk):
    """校门交通秩序检查 from a phone at the gate."""
    point = access_point(request.user, pk, caps=RECORD_CAPS)
    form = ObservationForm(request.POST or None, point=point)
    if request.method == "POST" and form.is_valid():
        try:
            obs = services.traffic_observation_record(
                acting_user=request.user, point=point, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if obs.hazard_raised:
                messages.success(request, f"已登记检查，问题已转为交通隐患，交{point.department.name}处理。")
            else:
                messages.success(request, "已登记检查，交通秩序正常。")
            return redirect("surroundings:point-detail", pk=point.pk)
    return render(request, "surroundings/observation_form.html", {"form": form, "point": point})


# --- The map ------------------------------------------------------------------------------------


def map_view(request):
    """Schools, 护学岗, venues and traffic points; tiles if configured, else the offline view."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    config = selectors.map_config(request.user)
    return render(request, "surroundings/map.html", {"config": config, "features": config["features"]})

"""Pages of the monthly 统计表: my units' reports by month, one report (computed vs manual,
last month, submit / accept / return), the roll-up with drill-down, the late list, and the
.xlsx. Each view: parse, `access_unit` (404 outside the user's view), call a service or
selector, render or redirect. A ConflictError re-renders with status 409."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.core.calendar import is_working_day
from huxiao.core.errors import ConflictError, error_message
from huxiao.core.forms import apply_validation_error
from huxiao.core.models import Organisation
from huxiao.monthly import exports, selectors, services
from huxiao.monthly import units as unit_rules
from huxiao.monthly.access import access_unit
from huxiao.monthly.choices import OPEN_STATES, ReportState, UnitLevel
from huxiao.monthly.due import due_date, is_ended, month_bounds, month_now_due, next_month, prev_month
from huxiao.monthly.forms import DecideForm, ManualForm, VersionForm, parse_month
from huxiao.monthly.models import MonthlyReport

PAGE_SIZE = 50
HISTORY_MONTHS = 6


def _today_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def _due_month() -> tuple[int, int]:
    """The default month of the list pages: the most recent ended month, whose report is due
    this month (on 2026-11-29: 2026年10月, due 2026年11月28日)."""
    return month_now_due(timezone.localdate())


def _check_month(year: int, month: int) -> None:
    if not 1 <= month <= 12 or (year, month) > _today_month() or year < 2000:
        raise Http404("没有该月的统计表。")


def _month_nav(year: int, month: int) -> dict:
    py, pm = prev_month(year, month)
    ny, nm = next_month(year, month)
    return {
        "year": year,
        "month": month,
        "prev": f"{py}-{pm:02d}",
        "next": f"{ny}-{nm:02d}" if (ny, nm) <= _today_month() else "",
        "py": py,
        "pm": pm,
        "ny": ny,
        "nm": nm,
    }


def report_list(request):
    """月度统计表: my own units' reports (this month and the last few), and, for a month — by
    default the one now due, i.e. last month — every unit in my view with its state, due date
    and days left or late."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    year, month = parse_month(request.GET.get("month"), _due_month())
    own, others = selectors.report_units(request.user)
    page = Paginator(others, PAGE_SIZE).get_page(request.GET.get("page"))
    dues = selectors.DueDates(year, month)
    history = selectors.report_history(own, _today_month(), HISTORY_MONTHS)
    return render(
        request,
        "monthly/report_list.html",
        {
            "nav": _month_nav(year, month),
            "own": selectors.statuses(own, year, month, dues),
            "page": page,
            "rows": selectors.statuses(page.object_list, year, month, dues),
            "history": history,
            "query": f"month={year}-{month:02d}",
        },
    )


def _detail_context(request, unit: Organisation, year: int, month: int, **extra) -> dict:
    table = selectors.unit_table(unit, year, month)
    previous = selectors.previous_table(unit, year, month)
    report = table.report
    parent = unit_rules.parent_of(unit)
    due = due_date(unit.region, year, month)
    today = timezone.localdate()
    editable = unit_rules.can_submit(request.user, unit) and (report is None or report.state in OPEN_STATES)
    version = report.version if report else None
    form = extra.pop("form", None)
    if form is None and editable:
        form = ManualForm(
            initial={**(report.manual if report else {}), "version": version}, defaults=table.manual_defaults
        )
    sections: list[tuple[str, list]] = []
    change = selectors.delta(table.values, previous.values)
    for c in selectors.columns_for(unit):
        if not sections or sections[-1][0] != c.section:
            sections.append((c.section, []))
        sections[-1][1].append(
            {
                "c": c,
                "value": table.values.get(c.key),
                "prev": previous.values.get(c.key),
                "delta": change.get(c.key),
                "default": table.manual_defaults.get(c.key),
                "text": selectors.is_text(c),
                "field": form[c.key] if form is not None and c.manual and c.key in form.fields else None,
            }
        )
    ctx = {
        "unit": unit,
        "level": unit_rules.level_of(unit),
        "table": table,
        "report": report,
        "previous": previous,
        "sections": sections,
        "parent": parent,
        "due": due,
        "due_working": is_working_day(due),
        "days_left": (due - today).days,
        "late": (report is None or not report.is_locked) and today > due,
        "ended": is_ended(year, month, today),
        "nav": _month_nav(year, month),
        "start_end": month_bounds(year, month),
        "editable": editable,
        "can_approve": report is not None
        and report.state == ReportState.SUBMITTED
        and unit_rules.can_approve(request.user, unit, parent),
        "has_children": unit_rules.level_of(unit) != UnitLevel.SCHOOL,
        "form": form,
        "decide_form": extra.pop("decide_form", None) or DecideForm(initial={"version": version}),
        "version": version,
        "events": report.events.select_related("actor").order_by("-at", "-pk") if report else [],
    }
    ctx.update(extra)
    return ctx


def report_detail(request, unit_pk: int, year: int, month: int):
    """One unit's 统计表 for one month."""
    _check_month(year, month)
    unit = access_unit(request.user, unit_pk)
    return render(request, "monthly/report_detail.html", _detail_context(request, unit, year, month))


@require_POST
def report_save(request, unit_pk: int, year: int, month: int):
    """Save the manual columns (draft or returned report; the version must match)."""
    _check_month(year, month)
    unit = access_unit(request.user, unit_pk)
    if not unit_rules.can_submit(request.user, unit):
        raise PermissionDenied("只有本单位有报送权限的人员才能填写统计表。")
    form = ManualForm(request.POST)
    if form.is_valid():
        try:
            services.report_save_manual(
                acting_user=request.user,
                unit=unit,
                year=year,
                month=month,
                values=form.manual_values(),
                expected_version=form.cleaned_data.get("version"),
            )
        except ConflictError as exc:
            ctx = _detail_context(request, unit, year, month, form=form, conflict=exc.message)
            return render(request, "monthly/report_detail.html", ctx, status=409)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # the report is locked: not a field's fault
                ctx = _detail_context(request, unit, year, month, conflict=error_message(exc))
                return render(request, "monthly/report_detail.html", ctx, status=409)
            apply_validation_error(form, exc)
        else:
            messages.success(request, "手填数据已保存。")
            return redirect("monthly:report-detail", unit.pk, year, month)
    ctx = _detail_context(request, unit, year, month, form=form)
    return render(request, "monthly/report_detail.html", ctx, status=400)


@require_POST
def report_submit(request, unit_pk: int, year: int, month: int):
    """Submit: freeze the table and its hash; the parent unit is notified."""
    _check_month(year, month)
    unit = access_unit(request.user, unit_pk)
    if not unit_rules.can_submit(request.user, unit):
        raise PermissionDenied("只有本单位有报送权限的人员才能报送统计表。")
    form = VersionForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        report = services.report_submit(
            acting_user=request.user, unit=unit, year=year, month=month, expected_version=version
        )
    except (ConflictError, ValidationError) as exc:
        msg = exc.message if isinstance(exc, ConflictError) else error_message(exc)
        return render(
            request,
            "monthly/report_detail.html",
            _detail_context(request, unit, year, month, conflict=msg),
            status=409,
        )
    messages.success(request, f"已报送，内容已锁定。哈希 {report.content_hash[:16]}…")
    return redirect("monthly:report-detail", unit.pk, year, month)


@require_POST
def report_decide(request, unit_pk: int, year: int, month: int, action: str):
    """Accept or return (with a reason) a submitted report — the parent unit only."""
    _check_month(year, month)
    unit = access_unit(request.user, unit_pk)
    report = (
        MonthlyReport.objects.filter(unit=unit, year=year, month=month).select_related("unit__region").first()
    )
    if report is None:
        raise Http404("该统计表尚未填报。")
    if not unit_rules.can_approve(request.user, unit):
        raise PermissionDenied("只有上级单位有审核权限的人员才能审核该统计表。")
    form = DecideForm(request.POST)
    if not form.is_valid():
        ctx = _detail_context(request, unit, year, month, decide_form=form)
        return render(request, "monthly/report_detail.html", ctx, status=400)
    try:
        if action == "accept":
            services.report_accept(
                acting_user=request.user, report=report, expected_version=form.cleaned_data["version"]
            )
        else:
            services.report_return(
                acting_user=request.user,
                report=report,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
    except ConflictError as exc:
        ctx = _detail_context(request, unit, year, month, decide_form=form, conflict=exc.message)
        return render(request, "monthly/report_detail.html", ctx, status=409)
    except ValidationError as exc:
        apply_validation_error(form, exc)
        ctx = _detail_context(request, unit, year, month, decide_form=form)
        return render(request, "monthly/report_detail.html", ctx, status=400)
    messages.success(request, "已审核通过。" if action == "accept" else "已退回，填报单位可修改后重新报送。")
    return redirect("monthly:report-detail", unit.pk, year, month)


def report_rollup(request, unit_pk: int, year: int, month: int):
    """The roll-up of a 学区 / 派出所 / 街道 / 区: a row per child unit, the total, last month."""
    _check_month(year, month)
    unit = access_unit(request.user, unit_pk)
    if unit_rules.level_of(unit) == UnitLevel.SCHOOL:
        return redirect("monthly:report-detail", unit.pk, year, month)
    data = selectors.rollup(unit, year, month)
    cols = selectors.numeric_columns()
    sections: list[tuple[str, int]] = []
    for c in cols:
        if sections and sections[-1][0] == c.section:
            sections[-1] = (c.section, sections[-1][1] + 1)
        else:
            sections.append((c.section, 1))
    return render(
        request,
        "monthly/rollup.html",
        {
            "unit": unit,
            "data": data,
            "cols": cols,
            "col_sections": sections,
            "nav": _month_nav(year, month),
            "groups": [
                (g, [(r, [(r.values.get(c.key), c) for c in cols]) for r in rows]) for g, rows in data.groups
            ],
            "total": [(data.total.values.get(c.key), c) for c in cols],
            "previous": [(data.previous.get(c.key), c) for c in cols],
            "change": [(data.change.get(c.key), c) for c in cols],
        },
    )


def late_list(request):
    """Units in my view that had not submitted by the due date, by the unit they report to
    (by default for the month now due, i.e. last month)."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    year, month = parse_month(request.GET.get("month"), _due_month())
    return render(
        request,
        "monthly/late_list.html",
        {"nav": _month_nav(year, month), "groups": selectors.late_list(request.user, year, month)},
    )


def report_export(request, unit_pk: int, year: int, month: int):
    """The .xlsx in the official table layout (with the children's rows for a roll-up unit)."""
    _check_month(year, month)
    unit = access_unit(request.user, unit_pk)
    require_cap(request.user, Cap.SCHOOL_EXPORT)
    content = exports.export_report(request.user, unit, year, month)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"{unit.name}{year}年{month}月护校安园统计表.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response

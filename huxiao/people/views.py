"""重点人员与矛盾纠纷 pages: the station's two registers (masked lists, a record's page with its
timeline, 查看完整信息 with a reason, the forms of the daily work) and 涉校稳定态势 — the counts
the 街道, 平安办 and 学区 see.

Each view: `access.*` (404 for anyone who may not know the registers, 404 outside scope, 403
without the capability at the record's station), a service, render or redirect. A ConflictError
re-renders with the service's message (409); a ValidationError names the field.
"""

from __future__ import annotations

import base64
import io
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huxiao.core import crypto
from huxiao.core.errors import ConflictError
from huxiao.core.forms import run_on_form
from huxiao.core.validation import is_db_integer
from huxiao.people import access, exports, forms, selectors, services
from huxiao.people.choices import Outcome, PersonStatus
from huxiao.people.models import Dispute, KeyPerson

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable(view):
    """A page of the registers when the keys cannot open the data: the Chinese message (503), not a
    500 and never garbage."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except crypto.SensitiveDataUnavailable as exc:
            return render(request, "people/unavailable.html", {"message": exc.message}, status=503)

    return wrapper


def _page(request, rows):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


# --- Key persons ----------------------------------------------------------------------------


def person_list(request):
    access.require_registers(request.user)
    form = forms.PersonFilterForm(request.GET or None, user=request.user)
    rows = selectors.persons(request.user, form.cleaned_data if form.is_valid() else {})
    page, query = _page(request, rows)
    return render(
        request,
        "people/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(p, selectors.masked_person(p)) for p in page],
            "query": query,
            "counts": selectors.register_counts(request.user),
            "can_manage": access.manages_any(request.user),
            "can_export": access.manages_any(request.user),
            "today": timezone.localdate(),
        },
    )


def person_export(request):
    access.require_registers(request.user)
    if not access.manages_any(request.user):
        raise PermissionDenied("只有派出所可以导出本所的重点人员登记。")
    form = forms.PersonFilterForm(request.GET or None, user=request.user)
    rows = selectors.persons(request.user, form.cleaned_data if form.is_valid() else {})
    out = io.BytesIO()
    exports.export_persons(acting_user=request.user, rows=rows, out=out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(exports.filename())}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def person_create(request):
    access.require_registers(request.user)
    if not access.manages_any(request.user):
        raise PermissionDenied("只有派出所民警可以登记重点人员。")
    form = forms.PersonForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        data["schools"] = list(data["schools"])
        person, status = run_on_form(form, lambda: services.person_register(acting_user=request.user, **data))
        if person is not None:
            n = person.school_links.count()
            messages.success(request, f"已登记重点人员 {person.code}，关联学校 {n} 所。")
            return redirect("people:person-detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form}, status=status)


def person_edit(request, pk):
    """修改档案: the form shows the full record, so opening it is a 查看完整信息 of its own (audited
    with the reason 修改档案, listed on the person's page)."""
    person = access.access_person(request.user, pk, manage=True)
    if person.erased_at is not None:
        messages.error(request, "该人员的个人信息已到期删除，档案不能再修改。")
        return redirect("people:person-detail", pk=person.pk)
    if request.method != "POST":
        services.person_reveal(acting_user=request.user, person=person, reason=services.EDIT_REASON)
    initial = {
        **{f: person.plain(f) for f in services.PERSON_FIELDS},
        "category": person.category_id,
        "risk": person.risk,
        "officer": person.officer_id,
        "region": person.region_id,
        "schools": [link.school_id for link in person.school_links.filter(chosen=True)],
        **dict(zip(("latitude", "longitude"), _position(person), strict=True)),
    }
    form = forms.PersonForm(
        request.POST or None, request.FILES or None, user=request.user, person=person, initial=initial
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        data["schools"] = list(data["schools"])
        saved, status = run_on_form(
            form,
            lambda: services.person_update(
                acting_user=request.user, person=person, expected_version=version, **data
            ),
        )
        if saved is not None:
            messages.success(request, f"已保存 {saved.code} 的档案（第{saved.version}版）。")
            return redirect("people:person-detail", pk=saved.pk)
    return render(request, "people/person_form.html", {"form": form, "person": person}, status=status)


def _position(person: KeyPerson) -> tuple[str, str]:
    lat, _sep, lon = person.plain("position").partition(",")
    return lat, lon


def person_detail(request, pk):
    """The person's page, masked; POST with a reason (查看完整信息) shows it in full once."""
    person = access.access_person(request.user, pk)
    reveal = forms.RevealForm(request.POST or None)
    plain = None
    if request.method == "POST" and reveal.is_valid():
        plain, _status = run_on_form(
            reveal,
            lambda: services.person_reveal(
                acting_user=request.user, person=person, reason=reveal.cleaned_data["reason"]
            ),
        )
    photo = None
    if plain is not None and person.photo_enc:
        try:
            with person.photo_enc.open("rb") as f:
                photo = base64.b64encode(crypto.decrypt_bytes(f.read())).decode()
        except FileNotFoundError:
            photo = None
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "masked": selectors.masked_person(person),
            "plain": plain,
            "photo": photo,
            "reveal": reveal,
            "timeline": selectors.person_timeline(person, full=plain is not None),
            "links": person.school_links.select_related("school").order_by("distance_m"),
            "history": selectors.access_history(person).select_related("actor")[:20],
            "may_manage": access.may_manage(request.user, person) and person.erased_at is None,
            "may_approve": access.may_approve(request.user, person) and person.erased_at is None,
            "may_reveal": access.may_reveal(request.user, person) and person.erased_at is None,
            "visit_form": forms.VisitForm(),
            "measure_form": forms.MeasureForm(),
            "lost_form": forms.LostForm(initial={"version": person.version}),
            "delist_form": forms.DelistForm(initial={"version": person.version}),
            "is_live": person.status != PersonStatus.DELISTED,
        },
    )


def _action(request, record, form, call, done: str, detail: str):
    """A POST form on a record's page: saved → back to the page (`detail`) with `done`; refused →
    the form alone with the message (a phone keeps what was typed)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        saved, status = run_on_form(form, lambda: call(record, form.cleaned_data))
        if saved is not None:
            messages.success(request, done)
            return redirect(detail, pk=record.pk)
    return render(
        request, "people/action_form.html", {"form": form, "record": record, "title": done}, status=status
    )


def _person_action(request, pk, form_class, call, done: str, *, approve: bool = False):
    person = access.access_person(request.user, pk, manage=not approve, approve=approve)
    return _action(request, person, form_class(request.POST or None), call, done, "people:person-detail")


def person_visit(request, pk):
    return _person_action(
        request,
        pk,
        forms.VisitForm,
        lambda person, d: services.visit_record(acting_user=request.user, person=person, **d),
        "已登记走访核查",
    )


def person_measure(request, pk):
    return _person_action(
        request,
        pk,
        forms.MeasureForm,
        lambda person, d: services.measure_record(acting_user=request.user, person=person, **d),
        "已记录管控救助措施",
    )


def person_lost(request, pk):
    return _person_action(
        request,
        pk,
        forms.LostForm,
        lambda person, d: services.person_mark_lost(
            acting_user=request.user, person=person, expected_version=d["version"], note=d["note"]
        ),
        "已报告失控，已通知派出所领导、街道平安办和区委政法委",
    )


def person_delist(request, pk):
    return _person_action(
        request,
        pk,
        forms.DelistForm,
        lambda person, d: services.person_delist(
            acting_user=request.user,
            person=person,
            expected_version=d["version"],
            reason=d["reason"],
            on=d["on"],
        ),
        "已撤销列管",
        approve=True,
    )


def intervals(request):
    """走访核查周期 by region: the platform default and what the user's units set."""
    access.require_registers(request.user)
    rows = selectors.intervals(request.user)
    region = selectors.interval_region(request.user)
    form = None
    if region is not None:
        current = services.interval_for(region)
        form = forms.IntervalForm(
            request.POST or None,
            initial={
                "high": current.high_days,
                "medium": current.medium_days,
                "low": current.low_days,
                "version": current.version if current.region_id == region.pk else None,
            },
        )
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("您的单位不能设置走访核查周期。")
        if form.is_valid():
            d = form.cleaned_data
            saved, status = run_on_form(
                form,
                lambda: services.interval_set(
                    acting_user=request.user,
                    region=region,
                    expected_version=d["version"],
                    high=d["high"],
                    medium=d["medium"],
                    low=d["low"],
                ),
            )
            if saved is not None:
                messages.success(request, f"已设置{region.name}的走访核查周期。")
                return redirect("people:intervals")
    return render(
        request,
        "people/intervals.html",
        {"rows": rows, "form": form, "region": region, "default": services.DEFAULT_INTERVAL},
        status=status,
    )


# --- Disputes ---------------------------------------------------------------------------------


def dispute_list(request):
    access.require_registers(request.user)
    form = forms.DisputeFilterForm(request.GET or None, user=request.user)
    rows = selectors.disputes(request.user, form.cleaned_data if form.is_valid() else {})
    page, query = _page(request, rows)
    return render(
        request,
        "people/dispute_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(d, selectors.masked_parties(d)) for d in page],
            "query": query,
            "counts": selectors.register_counts(request.user),
            "can_manage": access.manages_any(request.user),
        },
    )


def dispute_create(request):
    access.require_registers(request.user)
    if not access.manages_any(request.user):
        raise PermissionDenied("只有派出所民警可以登记矛盾纠纷。")
    form = forms.DisputeForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["schools"] = list(data["schools"])
        data["mediators"] = list(data["mediators"])
        dispute, status = run_on_form(
            form, lambda: services.dispute_register(acting_user=request.user, **data)
        )
        if dispute is not None:
            text = f"已登记矛盾纠纷 {dispute.code}。"
            if dispute.threat:
                text += "已标记扬言报复，已报告街道、平安办和区委政法委，请在时限内录入稳控措施。"
            messages.success(request, text)
            return redirect("people:dispute-detail", pk=dispute.pk)
    return render(request, "people/dispute_form.html", {"form": form}, status=status)


def dispute_detail(request, pk):
    dispute = access.access_dispute(request.user, pk)
    reveal = forms.RevealForm(request.POST or None)
    plain = None
    if request.method == "POST" and reveal.is_valid():
        plain, _status = run_on_form(
            reveal,
            lambda: services.dispute_reveal(
                acting_user=request.user, dispute=dispute, reason=reveal.cleaned_data["reason"]
            ),
        )
    may_manage = access.may_manage(request.user, dispute)
    is_open = dispute.outcome == Outcome.OPEN
    return render(
        request,
        "people/dispute_detail.html",
        {
            "dispute": dispute,
            "parties": selectors.masked_parties(dispute),
            "plain": plain,
            "reveal": reveal,
            "schools": dispute.schools.order_by("name"),
            "mediators": dispute.mediators.order_by("name"),
            "mediations": selectors.mediations(dispute, full=plain is not None),
            "stabilisations": selectors.stabilisations(dispute, full=plain is not None),
            "history": selectors.access_history(dispute).select_related("actor")[:20],
            "may_manage": may_manage,
            "may_reveal": access.may_reveal(request.user, dispute),
            "is_open": is_open,
            "stabilise_overdue": selectors.stabilise_overdue(dispute),
            "mediation_form": forms.MediationForm(),
            "stabilise_form": forms.StabiliseForm(),
            "close_form": forms.CloseForm(initial={"version": dispute.version}),
            "hazard_form": forms.DisputeHazardForm(dispute=dispute) if may_manage else None,
        },
    )


def _dispute_action(request, pk, form_class, call, done: str, *, with_dispute: bool = False):
    dispute = access.access_dispute(request.user, pk, manage=True)
    form = form_class(request.POST or None, **({"dispute": dispute} if with_dispute else {}))
    return _action(request, dispute, form, call, done, "people:dispute-detail")


def dispute_mediation(request, pk):
    return _dispute_action(
        request,
        pk,
        forms.MediationForm,
        lambda dispute, d: services.mediation_record(acting_user=request.user, dispute=dispute, **d),
        "已记录调解情况",
    )


def dispute_stabilise(request, pk):
    return _dispute_action(
        request,
        pk,
        forms.StabiliseForm,
        lambda dispute, d: services.stabilise_record(acting_user=request.user, dispute=dispute, **d),
        "已录入稳控措施",
    )


def dispute_close(request, pk):
    return _dispute_action(
        request,
        pk,
        forms.CloseForm,
        lambda dispute, d: services.dispute_close(
            acting_user=request.user,
            dispute=dispute,
            expected_version=d["version"],
            outcome=d["outcome"],
            closed_on=d["closed_on"],
        ),
        "已结案",
    )


@require_POST
def dispute_threat(request, pk):
    dispute = access.access_dispute(request.user, pk, manage=True)
    version = request.POST.get("version", "")
    try:
        services.dispute_flag_threat(
            acting_user=request.user,
            dispute=dispute,
            expected_version=int(version) if is_db_integer(version) else None,
        )
    except (ConflictError, ValidationError) as exc:
        messages.error(request, exc.message if isinstance(exc, ConflictError) else "；".join(exc.messages))
    else:
        messages.success(request, "已标记扬言报复，已报告街道、平安办和区委政法委，请在时限内录入稳控措施。")
    return redirect("people:dispute-detail", pk=dispute.pk)


def dispute_hazard(request, pk):
    def call(dispute: Dispute, d):
        return services.dispute_raise_hazard(acting_user=request.user, dispute=dispute, **d)

    return _dispute_action(
        request, pk, forms.DisputeHazardForm, call, "已转为学校隐患，进入隐患整改流程", with_dispute=True
    )


# --- What the 街道, 平安办 and 学区 see ----------------------------------------------------------


def overview(request):
    access.require_overview(request.user)
    return render(
        request,
        "people/overview.html",
        {"overview": selectors.overview(request.user), "registers": access.sees_registers(request.user)},
    )

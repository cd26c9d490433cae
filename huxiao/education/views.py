"""The education pages: the activities (filters, recording one with photos, one activity and its
photos), the 法治辅导员 table with the schools needing attention, appointing one, his visits, his
聘书. Each view: parse → access → service → render/redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from huxiao.core.files import serve_photo
from huxiao.core.forms import run_on_form
from huxiao.education import access, forms, occasions, selectors, services
from huxiao.education.choices import Occasion
from huxiao.reports.documents import docx_response
from huxiao.schools.models import School


def _sees(user) -> None:
    if not access.sees_education(user):
        raise Http404("您没有查看安全教育记录的权限。")


def activity_list(request):
    _sees(request.user)
    today = timezone.localdate()
    schools = School.objects.visible_to(request.user).active().order_by("name")
    filters = forms.FilterForm(request.GET or None, schools=schools)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.activities(request.user, **{k: v for k, v in chosen.items() if v})
    return render(
        request,
        "education/activity_list.html",
        {
            "filters": filters,
            "rows": rows[:200],
            "upcoming": [(Occasion(o).label, day) for o, day in occasions.upcoming(today, 45)],
            "may_record": selectors.recording_schools(request.user, today).exists(),
            "remind_days": settings.HUXIAO_EDUCATION_REMIND_DAYS,
        },
    )


def activity_create(request):
    _sees(request.user)
    today = timezone.localdate()
    schools = selectors.recording_schools(request.user, today)
    if not schools.exists():
        raise PermissionDenied("只有学校（幼儿园）和学校的法治辅导员可以记录安全教育活动。")
    occasion = request.GET.get("occasion", "")
    form = forms.ActivityForm(
        request.POST or None,
        request.FILES or None,
        schools=schools,
        appointments=selectors.counsellor_choices(schools, today),
        initial={"held_on": today, "occasion": occasion if occasion in Occasion.values else Occasion.OTHER},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, status = run_on_form(form, lambda: services.activity_record(acting_user=request.user, **data))
        if saved is not None:
            messages.success(request, f"已记录{saved.school.name}“{saved.name}”（{saved.head_count}人次）。")
            return redirect("education:activity-detail", pk=saved.pk)
    return render(request, "education/activity_form.html", {"form": form}, status=status)


def activity_detail(request, pk):
    activity = access.access_activity(request.user, pk)
    return render(
        request,
        "education/activity_detail.html",
        {"activity": activity, "photos": list(activity.photos.all())},
    )


def activity_photo(request, pk, photo_pk, size):
    activity = access.access_activity(request.user, pk)
    photo = activity.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404("照片不存在或不在您的管辖范围内。")
    return serve_photo(photo, size)


def counsellor_list(request):
    """Each school with its 法治辅导员 and last visit; those without either this semester first."""
    _sees(request.user)
    today = timezone.localdate()
    rows = selectors.counsellor_rows(request.user, today)
    return render(
        request,
        "education/counsellor_list.html",
        {
            "rows": rows,
            "attention": [r for r in rows if r.attention],
            "semester": selectors.semester(today),
            "appointments": selectors.appointments(request.user)[:200],
            "mine": selectors.my_appointments(request.user, today),
            "may_appoint": access.may_appoint(request.user),
        },
    )


def appointment_create(request):
    _sees(request.user)
    if not access.may_appoint(request.user):
        raise PermissionDenied("只有学校所属派出所可以聘任法治辅导员。")
    today = timezone.localdate()
    form = forms.AppointmentForm(
        request.POST or None,
        schools=selectors.appointable_schools(request.user),
        officers=selectors.officers(request.user),
        initial={"starts_on": today, "letter_number": selectors.suggested_letter_number(request.user, today)},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, status = run_on_form(
            form, lambda: services.counsellor_appoint(acting_user=request.user, **data)
        )
        if saved is not None:
            messages.success(
                request, f"已聘任{saved.officer.get_full_name()}为{saved.school.name}法治辅导员。"
            )
            return redirect("education:counsellor-list")
    return render(request, "education/appointment_form.html", {"form": form}, status=status)


def visit_create(request, pk):
    appointment = access.access_appointment(request.user, pk)
    if not access.is_officer(request.user, appointment):
        raise PermissionDenied("只有该校的法治辅导员本人可以记录进校情况。")
    form = forms.VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved, status = run_on_form(
            form, lambda: services.visit_record(acting_user=request.user, appointment=appointment, **data)
        )
        if saved is not None:
            messages.success(request, f"已记录{appointment.school.name}进校情况。")
            return redirect("education:counsellor-list")
    return render(
        request, "education/visit_form.html", {"form": form, "appointment": appointment}, status=status
    )


def appointment_letter(request, pk):
    """The 聘书 (.docx) of an appointment."""
    appointment = access.access_appointment(request.user, pk)
    data = services.letter_issue(acting_user=request.user, appointment=appointment)
    return docx_response(data, f"法治辅导员聘书_{appointment.school.name}_{appointment.letter_number}")

"""Pages of the standards engine: a school's 三防达标 table (and its .docx / .xlsx), the
region compliance page with the 四个100% rates, and the rulesets with their versions and the
rule edit form. Views parse, check access, call a selector or service, render."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.core.errors import ConflictError
from huxiao.core.forms import apply_validation_error
from huxiao.lib.dates import cn_date
from huxiao.schools.access import access_school
from huxiao.standards import documents, selectors, services
from huxiao.standards.access import access_evaluation, access_rule, access_ruleset, require_reader
from huxiao.standards.forms import RuleEditForm
from huxiao.standards.models import Ruleset


def compliance(request):
    """三防达标: rates over the user's schools (four 100%, per category, per rule) and the
    schools with the most gaps first. A fixed number of queries, whatever the school count."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    schools = selectors.scoped_schools(request.user)
    page = Paginator(selectors.latest_evaluations(schools), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "standards/compliance.html",
        {
            "rates": selectors.four_rates(schools),
            "compliance": selectors.region_compliance(schools),
            "page": page,
        },
    )


def school_evaluation(request, pk):
    """A school's table: every applicable rule with expected vs actual, the citation, 宜 as advice."""
    school = access_school(request.user, pk, cap=Cap.SCHOOL_VIEW)
    evaluation = access_evaluation(request.user, school.pk, request.GET.get("evaluation") or None)
    table = selectors.school_table(request.user, school, evaluation)
    return render(
        request,
        "standards/school.html",
        {
            "school": school,
            "evaluation": evaluation,
            "shall": table.shall,
            "advice": table.advice,
            "history": table.history,
            "versions": table.versions,
            "can_recompute": table.can_recompute,
        },
    )


@require_POST
def school_recompute(request, pk):
    """Re-evaluate one school now (for whoever may file its profile)."""
    school = access_school(request.user, pk, write=True, cap=Cap.PROFILE_EDIT)
    report = services.evaluate_schools([school])
    messages.success(
        request,
        f"已重新评估：新登记隐患{report.hazards_raised}条，差距消除{report.gaps_resolved}项。"
        if report.stored
        else "已重新评估，结果与上次相同。",
    )
    return redirect("standards:school", pk=school.pk)


def _download(request, pk, fmt: str):
    school = access_school(request.user, pk, cap=Cap.SCHOOL_VIEW)
    evaluation = access_evaluation(request.user, school.pk, request.GET.get("evaluation") or None)
    if evaluation is None:
        messages.warning(request, "该校尚无评估结果，无法生成达标表。")
        return redirect("standards:school", pk=school.pk)
    data, ctype, name = documents.export_school_table(request.user, school, evaluation, fmt)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=name, content_type=ctype)


def school_docx(request, pk):
    return _download(request, pk, "docx")


def school_xlsx(request, pk):
    return _download(request, pk, "xlsx")


def ruleset_list(request):
    """Every ruleset, its versions and whether the user may edit it."""
    require_reader(request.user)
    rulesets = list(Ruleset.objects.prefetch_related("versions__created_by"))
    for ruleset in rulesets:
        ruleset.can_edit = services.can_manage(request.user, ruleset)
    return render(request, "standards/ruleset_list.html", {"rulesets": rulesets})


def ruleset_detail(request, pk):
    """The rules of one version (the newest unless ?version=n), with citation and confidence, and
    the profile fields no rule reads."""
    ruleset = access_ruleset(request.user, pk)
    versions = list(ruleset.versions.select_related("created_by"))
    number = request.GET.get("version")
    version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    rules = list(version.rules.all()) if version else []
    return render(
        request,
        "standards/ruleset_detail.html",
        {
            "ruleset": ruleset,
            "version": version,
            "versions": versions,
            "rules": rules,
            "unused": selectors.ruleset_unused_fields(ruleset, version, rules),
            "can_edit": services.can_manage(request.user, ruleset)
            and version == (versions[0] if versions else None),
        },
    )


def rule_edit(request, pk):
    """Change one rule's thresholds: saving makes a new version of its ruleset."""
    rule = access_rule(request.user, pk)
    ruleset = rule.version.ruleset
    current = services.latest_version(ruleset)
    form = RuleEditForm(
        request.POST or None, rule=rule, initial={"base_version": current.number if current else 0}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.rule_revise(
                acting_user=request.user,
                rule=rule,
                base_version=form.cleaned_data["base_version"],
                params=form.params(),
                severity=form.cleaned_data["severity"],
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
                title=form.cleaned_data["title"],
                confidence=form.cleaned_data["confidence"],
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                f"已保存为{ruleset.name}第{version.number}版，{cn_date(version.effective_from)}起生效；此前的评估仍保留原版本。",
            )
            return redirect(f"{_ruleset_url(ruleset)}?version={version.number}")
    status = (
        409
        if form.errors
        and request.method == "POST"
        and current
        and str(current.number) != request.POST.get("base_version")
        else 200
    )
    return render(
        request, "standards/rule_edit.html", {"rule": rule, "ruleset": ruleset, "form": form}, status=status
    )


def _ruleset_url(ruleset: Ruleset) -> str:
    return reverse("standards:ruleset-detail", args=[ruleset.pk])

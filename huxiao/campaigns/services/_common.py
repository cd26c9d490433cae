"""What the campaign services share: the notification kinds, the acting organisation, the
audit wrapper, the manage check, the campaign's URL, and storing checked attachments."""

from __future__ import annotations

from django.urls import reverse

from huxiao.accounts.scope import scope_of
from huxiao.campaigns.access import require_manage
from huxiao.campaigns.choices import NotifyKind
from huxiao.campaigns.files import CheckedFile
from huxiao.campaigns.models import Campaign
from huxiao.core import audit
from huxiao.core.models import Organisation

# Notification kinds of this app (labels: see the report to the lead for notifications.Kind).
KIND_TASK = NotifyKind.CAMPAIGN_TASK
KIND_ALERT = NotifyKind.RISK_ALERT
KIND_ALERT_OVERDUE = NotifyKind.ALERT_OVERDUE
KIND_CIRCULAR = NotifyKind.CIRCULAR


def _acting_org(user, campaign: Campaign | None = None, cap: str | None = None) -> Organisation | None:
    if user is None:
        return None
    scope = scope_of(user)
    found = list(scope.org_ids(cap))
    if campaign is not None:
        hosting = scope.acting_orgs(cap, units=[campaign.office_org_id])
        covering = scope.acting_orgs(cap, path=campaign.region.path)
        found = hosting or covering or found
    return Organisation.objects.filter(pk=found[0]).first() if found else None


def _audit(actor, action: str, obj, campaign: Campaign, *, before=None, after=None, org=None) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=after,
        region_path=campaign.region.path,
        organisation=org if org is not None else _acting_org(actor, campaign),
    )


def _check_manage(acting_user, campaign: Campaign) -> None:
    if acting_user is not None:
        require_manage(acting_user, campaign)


def campaign_url(campaign: Campaign) -> str:
    return reverse("campaigns:campaign-detail", args=[campaign.pk])


def _store_files(model, files: list[CheckedFile], acting_user, **owner) -> int:
    for f in files:
        model.objects.create(
            file=f.content,
            name=f.name,
            kind=f.kind,
            size=f.size,
            sha256=f.sha256,
            uploaded_by=acting_user,
            **owner,
        )
    return len(files)

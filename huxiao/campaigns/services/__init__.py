"""Every change to a campaign and its 六项机制 records: keyword-only, `acting_user` required
(None = the system: demo loader, management command), one `transaction.atomic`, one audit
event, notifications after commit (DESIGN §4.2).

One module per part of the campaign; callers import this package (`services.task_create(...)`):

- `plan.py` — the campaign, its phases and gates, leading group, member units, measures and requirements
- `tasks.py` — the units' tasks: create, report done with evidence, send back
- `entries.py` — schools entering a gated phase (申请进入验收 / 验收通过 / 退回)
- `next_year.py` — next year's campaign copied from this one
- `mechanisms.py` — 六项机制 records: meetings, risk alerts, circulars
- `_common.py` — what they share: notification kinds, the acting organisation, the audit wrapper,
  the manage check, stored attachments
"""

from huxiao.campaigns.services._common import (
    KIND_ALERT,
    KIND_ALERT_OVERDUE,
    KIND_CIRCULAR,
    KIND_TASK,
    campaign_url,
)
from huxiao.campaigns.services.entries import entry_apply, entry_pass, entry_return, gates_url
from huxiao.campaigns.services.mechanisms import (
    alert_acknowledge,
    alert_escalate_overdue,
    alert_issue,
    alert_respond,
    circular_issue,
    circular_mark_read,
    meeting_record,
    school_staff,
)
from huxiao.campaigns.services.next_year import campaign_copy_next_year
from huxiao.campaigns.services.plan import (
    CAMPAIGN_FIELDS,
    campaign_create,
    campaign_update,
    group_member_add,
    group_member_remove,
    participant_add,
    participant_remove,
    participant_update,
    phase_remove,
    phase_save,
    plan_text_add,
    plan_text_remove,
    plan_text_update,
)
from huxiao.campaigns.services.tasks import task_complete, task_create, task_reopen

__all__ = [
    "CAMPAIGN_FIELDS",
    "KIND_ALERT",
    "KIND_ALERT_OVERDUE",
    "KIND_CIRCULAR",
    "KIND_TASK",
    "alert_acknowledge",
    "alert_escalate_overdue",
    "alert_issue",
    "alert_respond",
    "campaign_copy_next_year",
    "campaign_create",
    "campaign_update",
    "campaign_url",
    "circular_issue",
    "circular_mark_read",
    "entry_apply",
    "entry_pass",
    "entry_return",
    "gates_url",
    "group_member_add",
    "group_member_remove",
    "meeting_record",
    "participant_add",
    "participant_remove",
    "participant_update",
    "phase_remove",
    "phase_save",
    "plan_text_add",
    "plan_text_remove",
    "plan_text_update",
    "school_staff",
    "task_complete",
    "task_create",
    "task_reopen",
]

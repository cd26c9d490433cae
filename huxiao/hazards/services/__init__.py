"""Every change to a hazard: one transaction, one audit event, a timeline entry, and
notifications after commit (DESIGN §4.2, §5).

Transitions are a table (`TRANSITIONS`): from which states, to which state, which capability,
whether a reason is required, and whether the actor must belong to an organisation other than
the one that rectified. Each action carries the `expected_version` the user saw, so when two
reviewers act at once one wins and the other is told.

One module per part of the loop; callers import this package (`services.hazard_report(...)`):

- `report.py` — registering a hazard (上报)
- `transitions.py` — the transition table and `hazard_transition`, the single path of every state change
- `rectify.py` — evidence photos, temporary measures, the 重大 rectification plan
- `notices.py` — 限期整改通知书: issue and sign
- `extensions.py` — extension requests and their decision
- `escalations.py` — the documents of the 督办 ladder and the 约谈 record
- `_common.py` — what they share: the audit wrapper, the row lock, timeline events, photos, who is told
"""

from huxiao.hazards.services._common import hazard_url
from huxiao.hazards.services.escalations import ESCALATION_KIND, escalation_record_interview
from huxiao.hazards.services.extensions import extension_decide, extension_deciders, extension_request
from huxiao.hazards.services.notices import notice_issue, notice_sign
from huxiao.hazards.services.rectify import hazard_add_evidence, hazard_record_temp_measures, plan_record
from huxiao.hazards.services.report import hazard_report
from huxiao.hazards.services.transitions import ACTION_LABELS, TRANSITIONS, Transition, hazard_transition

__all__ = [
    "ACTION_LABELS",
    "ESCALATION_KIND",
    "TRANSITIONS",
    "Transition",
    "escalation_record_interview",
    "extension_decide",
    "extension_deciders",
    "extension_request",
    "hazard_add_evidence",
    "hazard_record_temp_measures",
    "hazard_report",
    "hazard_transition",
    "hazard_url",
    "notice_issue",
    "notice_sign",
    "plan_record",
]

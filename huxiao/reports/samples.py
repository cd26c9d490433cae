"""One sample context per document kind: the fields a template may use, with plausible values.

An uploaded replacement template is rendered with its sample before it is accepted, and the
template page lists these field names for whoever edits a template in Word.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from PIL import Image, ImageDraw

from huxiao.reports.choices import DocumentKind
from huxiao.reports.documents import Picture

BLANK = "________________"
LEGAL_BASIS = "《中华人民共和国未成年人保护法》《企业事业单位内部治安保卫条例》《中小学幼儿园安全管理办法》"


@cache
def _sample_photo(colour: tuple[int, int, int]) -> bytes:
    img = Image.new("RGB", (160, 120), (225, 225, 220))
    ImageDraw.Draw(img).rectangle((40, 30, 120, 100), fill=colour)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def _hazard_fields() -> dict[str, Any]:
    return {
        "issuer_name": "蒲吕街道平安办",
        "number": "蒲吕平安办督字〔2026〕第0003号",
        "school_name": "蒲吕青松中学",
        "hazard_title": "专职保安员配备不足",
        "hazard_code": "YH2026-000012",
        "location": "校门、宿舍区",
        "severity": "较大",
        "found_on": "2026年10月20日",
        "notice_numbers": "蒲吕派整字〔2026〕第0007号",
        "original_deadline": "2026年11月10日",
        "overdue_days": 13,
        "prior_steps": "，经督办（蒲吕平安办督字〔2026〕第0003号）",
        "issue_date": "2026年11月29日",
        "legal_basis": LEGAL_BASIS,
        "signed_by": BLANK,
        "signed_at": BLANK,
    }


@cache
def _sample_chart() -> bytes:
    img = Image.new("RGB", (700, 380), "white")
    draw = ImageDraw.Draw(img)
    for i, height in enumerate((220, 90, 150, 60)):
        draw.rectangle((80 + i * 150, 330 - height, 130 + i * 150, 330), fill=(29, 79, 145))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def _summary_row(label: str, found: int, closed: int, overdue: int) -> dict[str, Any]:
    return {"label": label, "found": found, "closed": closed, "live": found - closed, "overdue": overdue}


def _campaign_summary() -> dict[str, Any]:
    return {
        "campaign_name": "2026年蒲吕街道“护校安园”专项行动",
        "plan_number": "（蒲吕平安办〔2026〕5号）",
        "region_name": "蒲吕街道",
        "start": "2026年3月1日",
        "end": "2026年12月31日",
        "as_of": "2026年11月29日",
        "leaders": "街道党工委副书记王建国任组长；派出所所长李明任副组长",
        "office": "领导小组办公室设在蒲吕街道平安办，",
        "participants_count": 2,
        "participants": "蒲吕派出所、蒲吕学区管理中心",
        "phases": [
            {"label": "动员部署", "dates": "2026年3月1日至2026年3月31日", "total": 4, "done": 4},
            {"label": "验收", "dates": "2026年11月1日至2026年11月30日", "total": 3, "done": 1},
        ],
        "tasks_total": 7,
        "tasks_done": 5,
        "tasks_overdue": 1,
        "entries": [
            {"phase": "验收", "schools": 4, "not_applied": 1, "applied": 1, "passed": 1, "returned": 1}
        ],
        "schools": 4,
        "hazards_found": 12,
        "hazards_closed": 9,
        "hazards_live": 3,
        "hazards_overdue": 1,
        "closure_rate": "75.0%",
        "by_category": [_summary_row("消防", 7, 6, 0), _summary_row("物防", 5, 3, 1)],
        "by_severity": [
            _summary_row("一般", 9, 8, 0),
            _summary_row("较大", 2, 1, 1),
            _summary_row("重大", 1, 0, 0),
        ],
        "chart": Picture(_sample_chart(), 150),
        "monthly_labels": {
            "found": "发现隐患",
            "notices": "下发整改通知",
            "closed": "整改销号",
            "live": "未销号",
            "overdue": "逾期未整改",
        },
        "monthly_rows": [
            {"label": "2026年10月", "found": 5, "notices": 2, "closed": 4, "live": 3, "overdue": 1},
            {"label": "2026年11月", "found": 7, "notices": 1, "closed": 5, "live": 3, "overdue": 1},
        ],
        "by_month": [
            {"label": "2026年10月", "found": 5, "closed": 4},
            {"label": "2026年11月", "found": 7, "closed": 5},
        ],
        "meetings": 2,
        "decisions": 3,
        "alerts": 1,
        "alerts_schools": 3,
        "alerts_responded": 2,
        "alerts_escalated": 1,
        "circulars": 1,
        "remaining": [
            {
                "school": "蒲吕明德小学",
                "title": "围墙倒塌风险",
                "severity": "重大",
                "deadline": "2026年12月10日",
                "state": "整改中",
            }
        ],
        "signed_by": "蒲吕街道专项工作领导小组办公室",
    }


def sample_context(kind: str) -> dict[str, Any]:
    """A full context for `kind` (a DocumentKind value)."""
    if kind == DocumentKind.NOTICE:
        return {
            "issuer_name": "蒲吕派出所",
            "number": "蒲吕派整字〔2026〕第0007号",
            "school_name": "蒲吕青松中学",
            "hazards": [
                {
                    "no": 1,
                    "title": "专职保安员配备不足",
                    "location": "校门、宿舍区",
                    "requirement": "按每校不少于2名配备持证专职保安员",
                    "deadline": "2026年12月10日",
                },
                {
                    "no": 2,
                    "title": "宿舍楼消防通道堆放杂物",
                    "location": "3号宿舍楼一层",
                    "requirement": "立即清理，保持通道畅通",
                    "deadline": "2026年12月10日",
                },
            ],
            "hazard_count": 2,
            "requirements": "整改完成后附整改前后照片书面报告。",
            "deadline": "2026年12月10日",
            "issue_date": "2026年11月29日",
            "legal_basis": LEGAL_BASIS,
            "signed_by": "罗志强",
            "signed_at": "2026年11月29日 10:30",
        }
    if kind in (DocumentKind.SUPERVISION, DocumentKind.LISTING):
        return _hazard_fields()
    if kind == DocumentKind.INTERVIEW:
        return {
            **_hazard_fields(),
            "number": "蒲吕平安办约谈〔2026〕第0002号",
            "interview_date": "2026年11月29日",
            "attendees": "蒲吕街道平安办：林晓梅\n蒲吕青松中学：罗志强（分管安全副校长）",
            "minutes": "通报隐患逾期情况；学校说明原因并承诺于12月5日前整改完毕。",
            "recorded_by": "林晓梅",
        }
    if kind == DocumentKind.DOSSIER:
        before, after = _sample_photo((176, 64, 52)), _sample_photo((58, 140, 82))
        return {
            "school_name": "蒲吕青松中学",
            "hazard_code": "YH2026-000012",
            "hazard_title": "宿舍楼消防通道堆放杂物",
            "location": "3号宿舍楼一层",
            "category": "消防",
            "severity": "一般",
            "source": "自查",
            "found_on": "2026年11月20日",
            "found_by_org": "蒲吕青松中学",
            "found_by": "罗志强",
            "responsible_org": "蒲吕青松中学",
            "responsible_person": "罗志强",
            "deadline": "2026年11月27日",
            "state": "已销号",
            "escalation": "未督办",
            "description": "一层东侧消防通道堆放废旧课桌椅，影响疏散。",
            "temp_measures": "",
            "measures": "清理杂物，设置禁止堆放标识。",
            "documents": [
                {
                    "kind": "限期整改通知书",
                    "number": "蒲吕派整字〔2026〕第0007号",
                    "date": "2026年11月20日",
                    "state": "已签收",
                }
            ],
            "photo_rows": [
                {
                    "before": Picture(before, 70),
                    "after": Picture(after, 70),
                    "before_caption": "2026年11月20日",
                    "after_caption": "2026年11月26日",
                }
            ],
            "acceptance": "2026年11月27日 蒲吕派出所 赵警官 验收销号：已清理完毕。",
            "events": [
                {
                    "at": "2026年11月20日 09:12",
                    "kind": "登记隐患",
                    "actor": "罗志强（蒲吕青松中学）",
                    "note": "",
                },
                {
                    "at": "2026年11月27日 15:40",
                    "kind": "验收销号",
                    "actor": "赵警官（蒲吕派出所）",
                    "note": "已清理",
                },
            ],
            "generated_at": "2026年11月29日 10:00",
        }
    if kind == DocumentKind.CAMPAIGN_SUMMARY:
        return _campaign_summary()
    raise ValueError(f"unknown document kind: {kind}")

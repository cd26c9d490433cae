"""Sample contexts of the hazard documents: every field a template may use, with plausible
values (an uploaded template must render its sample; the template page lists the fields). They
mirror the real contexts built in `hazards/documents.py`."""

from __future__ import annotations

from typing import Any

from huxiao.reports.documents import Picture
from huxiao.reports.samples import BLANK, LEGAL_BASIS, sample_photo


def rung_sample() -> dict[str, Any]:
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


def notice_sample() -> dict[str, Any]:
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


def interview_sample() -> dict[str, Any]:
    return {
        **rung_sample(),
        "number": "蒲吕平安办约谈〔2026〕第0002号",
        "interview_date": "2026年11月29日",
        "attendees": "蒲吕街道平安办：林晓梅\n蒲吕青松中学：罗志强（分管安全副校长）",
        "minutes": "通报隐患逾期情况；学校说明原因并承诺于12月5日前整改完毕。",
        "recorded_by": "林晓梅",
    }


def dossier_sample() -> dict[str, Any]:
    before, after = sample_photo((176, 64, 52)), sample_photo((58, 140, 82))
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

"""Hazard pages (register, detail, notices, 挂牌督办 list)."""

"""The snapshot as the chapters read it: lookups by code and the pieces several parts print."""

from __future__ import annotations

import datetime
from typing import Any

from ..snapshot import derived_part
from .formatting import decorate


class Source:
    """One snapshot and the arguments of one render. Read only: the snapshot itself is never
    changed (the indicator groups are copies with display helpers)."""

    def __init__(self, snapshot: dict, *, verify_url: str, code: str | None, number: int | None,
                 generated_at: datetime.datetime) -> None:
        self.s = snapshot
        self.year = snapshot["year"]
        self.verify_url = verify_url
        self.code = code
        self.number = number
        self.generated_at = generated_at
        self.variant = snapshot.get("variant") or {}
        self.sections = self.variant.get("sections") or {}
        plan = snapshot.get("plan") or {}
        self.plan_indicators = {i["code"]: i for i in plan.get("indicators", [])}
        self.nodes = {n["code"]: n for n in plan.get("nodes", [])}
        self.budget_rows = {r["code"]: r for r in (snapshot.get("budget") or {}).get("rows", [])}
        self.groups = [
            {**g, "indicators": [decorate(i) for i in g["indicators"]]}
            for g in (snapshot.get("measurement") or {}).get("groups", [])
        ]
        self.figures = {i["code"]: i for g in self.groups for i in g["indicators"]}
        # Stored since snapshot format 4; an older snapshot gets them from the same functions.
        derived = snapshot.get("derived") or derived_part(snapshot)
        self.measured: dict[str, Any] = derived["measurement"]
        self.budget_figures: dict[str, Any] = derived["budget"]
        # "staff" came with the key: a snapshot that has "derived" has it.
        self.staff_figures: dict[str, Any] = derived["staff"]
        self.draft = False  # build_context sets it for a draft

    def on(self, section: str) -> bool:
        """Whether the Pemda's variant prints this optional section (all do by default)."""
        return bool(self.sections.get(section, True))

    @property
    def narratives(self) -> dict[str, str]:
        return self.s.get("narratives") or {}

    def brief(self, code: str) -> dict[str, Any]:
        f = self.figures[code]
        return {
            "code": code, "name": f["name"], "show_code": f["show_code"], "achievement": f["achievement"]["value"],
            "rating": f.get("rating"), "target": f.get("target"), "actual": f.get("actual"), "unit": f.get("unit"),
            "unit_text": f["unit_text"],
        }

    def budget_brief(self) -> dict[str, Any]:
        b = self.s.get("budget") or {}
        prev = self.s.get("budget_previous") or {}
        figures = self.budget_figures
        return {
            "empty": b.get("empty", True),
            "ceiling": b.get("ceiling"),
            "ceiling_original": b.get("ceiling_original"),
            "revised": figures["revised"],
            "spent": b.get("spent"),
            "absorption": (b.get("absorption") or {}).get("value"),
            "absorption_reason": (b.get("absorption") or {}).get("reason"),
            "remaining": figures["remaining"],
            "previous": None if prev.get("empty", True) else prev,
            "programs": figures["programs"],
            "activities": figures["activities"],
            "subactivities": figures["subactivities"],
        }

    @staticmethod
    def indicator_row(f: dict[str, Any]) -> dict[str, Any]:
        achievement = f.get("achievement") or {}
        return {
            "f": f,
            "available": achievement.get("value") is not None,
            "achievement": achievement.get("value"),
            "reason": f.get("not_available_reason") or achievement.get("reason") or "",
        }

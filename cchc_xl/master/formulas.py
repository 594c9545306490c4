"""The formulas a master must hold, derived from where its plan rows are: one source for
the writer (which puts them in) and the validator (which checks them)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import layout
from ..plan.tree import children_by_parent, is_valid_code, level
from .reading import MasterView

P = layout.PLAN
S = layout.SUMMARY


def quote(sheet: str) -> str:
    """Sheet name as a formula writes it: 'Kế hoạch'."""
    return "'" + sheet.replace("'", "''") + "'"


def plan_ref(key: str, row: int, absolute: bool = False) -> str:
    letter = P.letter(key)
    cell = f"${letter}${row}" if absolute else f"{letter}{row}"
    return f"{quote(P.name)}!{cell}"


def settings_ref(key: str) -> str:
    return f"{quote(layout.SETTINGS_SHEET)}!$B${layout.settings_row(key)}"


@dataclass(frozen=True)
class PlanPlacement:
    """Where each plan code sits on the plan sheet, and where the total row is."""

    rows: tuple[tuple[str, int], ...]  # (code, Excel row) in sheet order
    total_row: int

    @property
    def area_rows(self) -> list[tuple[str, int]]:
        return [(code, row) for code, row in self.rows if level(code) == 1]


def plan_formulas(place: PlanPlacement) -> dict[str, str]:
    """Expected formula of each formula cell of the plan sheet, by A1 address."""
    c, d, e = P.letter("max_points"), P.letter("appraised"), P.letter("lost")
    out = {f"{e}{row}": f"={c}{row}-{d}{row}" for _, row in place.rows}
    out.update(projected_formulas(place))
    areas = [row for _, row in place.area_rows]
    for letter in (c, d, e, P.letter("projected")):
        out[f"{letter}{place.total_row}"] = _sum(letter, areas)
    return out


def projected_formulas(place: PlanPlacement) -> dict[str, str]:
    """Projected points: a done row's expected points (its appraised points until then);
    a parent adds what its children recover."""
    d, s = P.letter("appraised"), P.letter("projected")
    status, expected = P.letter("status"), P.letter("expected")
    out = {}
    below = children_by_parent(c for c, _ in place.rows)
    for code, row in place.rows:
        children = [place.rows[i][1] for i in below.get(code, ())]
        if children:
            proj = ",".join(f"{s}{r}" for r in children)
            appr = ",".join(f"{d}{r}" for r in children)
            out[f"{s}{row}"] = f"={d}{row}+SUM({proj})-SUM({appr})"
        else:
            out[f"{s}{row}"] = (f'=IF({status}{row}="{layout.STATUS_DONE}",'
                                f"IF(ISNUMBER({expected}{row}),{expected}{row},{d}{row}),"
                                f"{d}{row})")
    return out


def _sum(letter: str, rows: list[int]) -> str:
    if not rows:
        return "=0"
    return "=SUM(" + ",".join(f"{letter}{r}" for r in rows) + ")"


def summary_first_row() -> int:
    return S.first_row


def summary_formulas(place: PlanPlacement) -> dict[str, str]:
    """Expected formulas of the summary sheet: one row per area, their sum, the whole index."""
    out: dict[str, str] = {}
    areas = place.area_rows
    first = S.first_row
    for i, (_, plan_row) in enumerate(areas):
        r = first + i
        out[f"{S.letter('title')}{r}"] = "=" + plan_ref("title", plan_row)
        for key in ("max_points", "appraised", "lost", "projected"):
            out[f"{S.letter(key)}{r}"] = "=" + plan_ref(key, plan_row)
        out.update(_index_and_rating(r))
    total = first + len(areas)
    for key in ("max_points", "appraised", "lost", "projected"):
        letter = S.letter(key)
        out[f"{letter}{total}"] = (f"=SUM({letter}{first}:{letter}{total - 1})" if areas
                                   else "=0")
    out.update(_index_and_rating(total))
    whole = total + 1
    mx, ap, lo = S.letter("max_points"), S.letter("appraised"), S.letter("lost")
    out[f"{mx}{whole}"] = "=" + settings_ref("total_max")
    out[f"{lo}{whole}"] = f"={lo}{total}"
    out[f"{ap}{whole}"] = f"={mx}{whole}-{lo}{whole}"
    pj = S.letter("projected")
    out[f"{pj}{whole}"] = f"={ap}{whole}+{pj}{total}-{ap}{total}"
    out.update(_index_and_rating(whole))
    return out


def summary_rows(place: PlanPlacement) -> tuple[int, int]:
    """(row of the sum of areas, row of the whole index) on the summary sheet."""
    total = S.first_row + len(place.area_rows)
    return total, total + 1


def _index_and_rating(r: int) -> dict[str, str]:
    """Index (%) and rating, now and projected."""
    mx = S.letter("max_points")
    out = {}
    for points, index, rating in (("appraised", "index", "rating"),
                                  ("projected", "projected_index", "projected_rating")):
        pt, ix = S.letter(points), S.letter(index)
        out[f"{ix}{r}"] = f"=IF({mx}{r}>0,ROUND({pt}{r}/{mx}{r}*100,2),0)"
        out[f"{S.letter(rating)}{r}"] = rating_formula(f"{ix}{r}")
    return out


def rating_formula(index_cell: str) -> str:
    """Nested IF over the rating table of the settings sheet, highest threshold first."""
    first = layout.ratings_first_row()
    sheet = quote(layout.SETTINGS_SHEET)
    n = len(layout.DEFAULT_RATINGS)
    expr = '""'
    for i in reversed(range(n)):
        row = first + i
        expr = f"IF({index_cell}>={sheet}!$B${row},{sheet}!$A${row},{expr})"
    return "=" + expr


def is_parent(code: str, codes: list[str]) -> bool:
    return code in children_by_parent(codes)


def placement_of(view: MasterView) -> PlanPlacement:
    # A row whose code is missing or malformed still needs its lost formula, but must not
    # count as an area (level("") is 1): it gets a placeholder that is no area.
    return PlanPlacement(tuple((r.code if is_valid_code(r.code) else "?.?", r.row)
                               for r in view.rows),
                         view.total_row or (view.rows[-1].row + 1 if view.rows
                                            else P.first_row))


def expected_formulas(view: MasterView) -> dict[tuple[str, str], str]:
    place = placement_of(view)
    out = {(P.name, cell): f for cell, f in plan_formulas(place).items()}
    if layout.SUMMARY.name in view.wb.sheetnames:
        out.update({(layout.SUMMARY.name, cell): f
                    for cell, f in summary_formulas(place).items()})
    return out


# Problems that leave the tree of codes uncertain: which rows are an area or a parent's
# children is then unknown, so formulas that follow from the tree cannot be judged wrong.

"""The woordweb (partner map) and the krachtenveld (power/interest grid) as data and pictures."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from crm.charts import PALETTE, new_figure
from crm.db import db
from crm.network.models import (
    MUNICIPALITY_KIND,
    PARTNER_STATUSES,
    QUADRANTS,
    Affiliation,
    Contact,
    Partner,
    quadrant_of,
)

STATUS_STYLE = {  # colour and marker: the status is never told by colour alone
    "prospect": ("#6b7685", "o"),
    "verkennend": ("#b07800", "s"),
    "actief": ("#1d6b3a", "D"),
    "gepauzeerd": ("#2f6db3", "^"),
    "beeindigd": ("#b3261e", "X"),
}
MAX_NODES = 90


def map_rows(include_ended: bool = False) -> list[dict]:
    stmt = select(Partner.id, Partner.name, Partner.kind, Partner.internal, Partner.status)
    if not include_ended:
        stmt = stmt.where(Partner.status != "beeindigd")
    return [dict(r._mapping) for r in db.session.execute(stmt.order_by(Partner.kind, Partner.name))]


def map_groups(rows: list[dict], kind_labels: dict) -> dict:
    """{"internal": [...], "external": {kind_label: [...]}} in a stable order."""
    internal = [r for r in rows if r["internal"]]
    external: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if not r["internal"]:
            external[kind_labels.get(r["kind"], r["kind"])].append(r)
    return {"internal": internal, "external": dict(sorted(external.items()))}


def _short(text: str, n: int = 26) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def draw_map(groups: dict):
    """A two-sided tree: internal partners to the left, external kinds and partners to the right.

    Every partner gets its own row, so no two labels overlap whatever the number.
    """
    too_many = len(groups["internal"]) + sum(len(v) for v in groups["external"].values()) > MAX_NODES
    left = [("Intern", groups["internal"])] if groups["internal"] else []
    right = [(label, items) for label, items in groups["external"].items() if items]
    rows_needed = max(_rows(left, too_many), _rows(right, too_many), 6)
    fig, ax = new_figure(11, max(5.5, 0.24 * rows_needed + 1.5))
    ax.axis("off")
    ax.set_xlim(-3.4, 3.4)
    ax.set_ylim(-0.55 * rows_needed - 1.2, 0.55 * rows_needed + 0.6)
    _draw_tree(ax, left, -1, too_many, rows_needed)
    _draw_tree(ax, right, 1, too_many, rows_needed)
    ax.text(0, 0, "Gezins-\naanpak", ha="center", va="center", color="white", fontsize=11, weight="bold",
            bbox={"boxstyle": "circle,pad=0.6", "fc": "#0b5c6b", "ec": "#0b5c6b"}, zorder=5)
    top = 0.55 * rows_needed + 0.3
    ax.text(-2.2, top, "Intern", fontsize=12, weight="bold", ha="center")
    ax.text(2.2, top, "Extern", fontsize=12, weight="bold", ha="center")
    for status, label in PARTNER_STATUSES:
        colour, marker = STATUS_STYLE[status]
        ax.scatter([], [], c=colour, marker=marker, s=50, label=label)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=5, frameon=False, title="Status")
    return fig


def _rows(groups, too_many: bool) -> int:
    if too_many:
        return len(groups)
    return sum(len(items) for _, items in groups) + max(len(groups) - 1, 0)


def _draw_tree(ax, groups, side: int, too_many: bool, rows_needed: int) -> None:
    if not groups:
        return
    step = 1.1
    total = _rows(groups, too_many)
    y = (total - 1) * step / 2
    kind_x, leaf_x = 0.95 * side, 1.85 * side
    ha = "left" if side > 0 else "right"
    for label, items in groups:
        if too_many:
            ys = [y]
            y -= step
        else:
            ys = [y - i * step for i in range(len(items))]
            y -= (len(items) + 1) * step
        ky = sum(ys) / len(ys)
        ax.plot([0, kind_x], [0, ky], color="#b9c2cc", lw=1, zorder=1)
        ax.text(kind_x, ky, f"{_short(label, 22)} ({len(items)})", ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round", "fc": "#e3f0f2", "ec": "#0b5c6b"}, zorder=4)
        if too_many:
            continue
        for item, iy in zip(items, ys, strict=True):
            colour, marker = STATUS_STYLE.get(item["status"], ("#6b7685", "o"))
            ax.plot([kind_x + 0.45 * side, leaf_x], [ky, iy], color="#d5dbe3", lw=0.8, zorder=1)
            ax.scatter([leaf_x], [iy], c=colour, marker=marker, s=36, zorder=3)
            ax.text(leaf_x + 0.08 * side, iy, _short(item["name"], 34), ha=ha, va="center", fontsize=7.5)


# -- krachtenveld --------------------------------------------------------------------------------
def grid_rows(municipal_only: bool) -> list[dict]:
    stmt = select(Contact.id, Contact.name, Contact.position, Contact.influence, Contact.interest,
                  Contact.warmth).where(Contact.influence.is_not(None), Contact.interest.is_not(None),
                                        Contact.erased_at.is_(None))
    if municipal_only:
        stmt = stmt.where(Contact.id.in_(
            select(Affiliation.contact_id).join(Partner).where(Partner.kind == MUNICIPALITY_KIND)))
    rows = []
    for r in db.session.execute(stmt.order_by(Contact.influence.desc(), Contact.interest.desc(),
                                              Contact.name).limit(400)):
        row = dict(r._mapping)
        row["quadrant"] = quadrant_of(row["influence"], row["interest"])
        row["quadrant_label"] = QUADRANTS[row["quadrant"]]
        rows.append(row)
    return rows


STACK_STEP = 0.13  # vertical distance between the people of one cell
MAX_LABELS_PER_CELL = 6


def draw_grid(rows: list[dict]):
    fig, ax = new_figure(9, 8)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.axvline(2.5, color="#4f5b6b", lw=1)
    ax.axhline(2.5, color="#4f5b6b", lw=1)
    ax.set_xlabel("Belang bij de gezinsaanpak →")
    ax.set_ylabel("Invloed →")
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    corners = {"manage": (5.45, 5.45, "right", "top"), "satisfy": (0.55, 5.45, "left", "top"),
               "inform": (5.45, 0.55, "right", "bottom"), "monitor": (0.55, 0.55, "left", "bottom")}
    for key, (x, y, ha, va) in corners.items():
        ax.text(x, y, QUADRANTS[key], ha=ha, va=va, fontsize=10, weight="bold", color="#07414c", alpha=0.8)
    cells: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in rows:
        cells[(row["interest"], row["influence"])].append(row)
    for (x, y), people in cells.items():
        shown = people[:MAX_LABELS_PER_CELL]
        more = len(people) > len(shown)
        lines = len(shown) + more
        for i, person in enumerate(shown):
            # Each dot sits on its own value of belang (x); the people of one cell are
            # stacked around their value of invloed (y), so labels never overlap.
            py = y + ((lines - 1) / 2 - i) * STACK_STEP
            ax.scatter([x], [py], s=22, c=PALETTE[0], zorder=3)
            ax.text(x + 0.06, py, _short(person["name"], 20), fontsize=7, va="center", zorder=4)
        if more:
            ax.text(x + 0.06, y + ((lines - 1) / 2 - len(shown)) * STACK_STEP,
                    f"+ {len(people) - len(shown)} meer (zie tabel)", fontsize=7, va="center", style="italic")
    ax.set_title("Krachtenveld: invloed × belang")
    return fig

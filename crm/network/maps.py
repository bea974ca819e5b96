"""The woordweb (partner map) and the krachtenveld (power/interest grid) as data and pictures."""

from __future__ import annotations

import math
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
    fig, ax = new_figure(11, 8.5)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.add_patch(_circle(0, 0, 0.28, "#0b5c6b"))
    ax.text(0, 0, "Gezins-\naanpak", ha="center", va="center", color="white", fontsize=11, weight="bold")
    too_many = len(groups["internal"]) + sum(len(v) for v in groups["external"].values()) > MAX_NODES
    # internal partners on the left half, external kinds around the right half
    _draw_side(ax, [("Intern", groups["internal"])], 100, 260, too_many, side="left")
    _draw_side(ax, list(groups["external"].items()), -80, 80, too_many, side="right")
    for status, label in PARTNER_STATUSES:
        colour, marker = STATUS_STYLE[status]
        ax.scatter([], [], c=colour, marker=marker, s=50, label=label)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.08), ncol=5, frameon=False, title="Status")
    ax.set_xlim(-2.6, 2.6)
    ax.set_ylim(-1.9, 1.9)
    ax.text(-1.9, 1.75, "Intern", fontsize=12, weight="bold", ha="center")
    ax.text(1.9, 1.75, "Extern", fontsize=12, weight="bold", ha="center")
    return fig


def _circle(x, y, r, colour):
    from matplotlib.patches import Circle

    return Circle((x, y), r, color=colour, zorder=3)


def _draw_side(ax, groups, start_deg, end_deg, too_many, side):
    groups = [(label, items) for label, items in groups if items]
    if not groups:
        return
    span = (end_deg - start_deg) / len(groups)
    for g, (label, items) in enumerate(groups):
        lo = start_deg + g * span
        mid = math.radians(lo + span / 2)
        gx, gy = 0.75 * math.cos(mid), 0.75 * math.sin(mid)
        ax.plot([0, gx], [0, gy], color="#b9c2cc", zorder=1, lw=1)
        ax.text(gx, gy, f"{_short(label, 22)} ({len(items)})", ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round", "fc": "#e3f0f2", "ec": "#0b5c6b"}, zorder=4)
        if too_many:
            continue
        n = len(items)
        for i, item in enumerate(items):
            angle = math.radians(lo + span * (i + 0.5) / n)
            radius = 1.35 + (0.22 if i % 2 else 0)
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            colour, marker = STATUS_STYLE.get(item["status"], ("#6b7685", "o"))
            ax.plot([gx, x], [gy, y], color="#d5dbe3", zorder=1, lw=0.8)
            ax.scatter([x], [y], c=colour, marker=marker, s=40, zorder=3)
            ha = "left" if x >= 0 else "right"
            ax.text(x + (0.06 if ha == "left" else -0.06), y, _short(item["name"]), ha=ha, va="center",
                    fontsize=7.5, zorder=4)


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
        for i, person in enumerate(shown):
            # stack the people of one cell vertically so labels never sit on top of each other
            dy = 0.32 - i * 0.13
            px, py = x - 0.38, y + dy
            ax.scatter([px], [py], s=22, c=PALETTE[0], zorder=3)
            ax.text(px + 0.06, py, _short(person["name"], 20), fontsize=7, va="center", zorder=4)
        if len(people) > len(shown):
            ax.text(x - 0.38, y + 0.32 - len(shown) * 0.13, f"+ {len(people) - len(shown)} meer (zie tabel)",
                    fontsize=7, va="center", style="italic")
    ax.set_title("Krachtenveld: invloed × belang")
    return fig

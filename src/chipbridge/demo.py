"""``make demo``: screen the parties of the 2021 SIA-CSIA working group against the built-in list.

Uses a throwaway data directory unless CHIPBRIDGE_HOME is set, and needs no network.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

# Parties named in the public record of the working group (see README), in the scripts
# people actually write them in, plus a few unlisted controls.
PARTIES: tuple[tuple[str, str], ...] = (
    ("中芯国际", "SMIC (CSIA leadership), Chinese short name"),
    ("Semiconductor Manufacturing Intl Corp", "SMIC, abbreviated"),
    ("華為技術有限公司", "Huawei (CSIA board), traditional characters"),
    ("Hisilicon Technologies", "Huawei's chip design arm"),
    ("Yangtze Memory Technologies", "YMTC, a Tsinghua Unigroup affiliate"),
    ("Hua Hong Semiconductor Ltd.", "named in the 2021 report"),
    ("上海复旦微电子集团股份有限公司", "Shanghai Fudan Microelectronics, named in the report"),
    ("Tsinghua Unigroup", "CSIA board (Zhao Weiguo)"),
    ("Intel Corporation", "SIA member"),
    ("Qualcomm Inc.", "SIA member"),
    ("台积电", "TSMC, a control: not in the group"),
)


def main() -> None:
    if "CHIPBRIDGE_HOME" not in os.environ:
        os.environ["CHIPBRIDGE_HOME"] = tempfile.mkdtemp(prefix="chipbridge-demo-")
    from chipbridge import config
    from chipbridge.store.lists import ListStore

    store = ListStore(config.home())
    screener = store.screener()
    console = Console()
    console.print(
        f"chipbridge demo: screening the 2021 SIA-CSIA working group's world against "
        f"{len(screener):,} list entries ({', '.join(i.dataset for i in store.infos())}) "
        f"in {Path(os.environ['CHIPBRIDGE_HOME'])}"
    )
    table = Table(show_lines=True)
    for column in ("query", "who", "best hit", "list / citation", "score", "why"):
        table.add_column(column, overflow="fold")
    for query, who in PARTIES:
        hits = screener.screen(query, limit=1)
        if not hits:
            table.add_row(query, who, "[green]clear[/green]", "", "", "")
            continue
        hit = hits[0]
        table.add_row(
            query,
            who,
            f"[red]{hit.entry.name}[/red]",
            f"{hit.entry.list_name}\n{hit.entry.citation or ''}",
            f"{hit.score:.2f}",
            hit.reason,
        )
    console.print(table)
    console.print(
        "The built-in list is a demonstration snapshot. Load the official lists with "
        "`chipbridge lists update` or `chipbridge lists import PATH`."
    )


if __name__ == "__main__":
    main()

"""The corpus report: for each configuration, what was compared, whether the library expresses it
fully or partly, what it refuses, what is re-expressed, lines of the original and of the rebuild,
and the warnings the rebuild gets.

    python -m tests.corpus.report
"""

from __future__ import annotations

from collections import Counter
from typing import List


from aws_cdk import Stack
from aws_cdk.assertions import Annotations, Match

from tests.corpus.support import Entry, compare, entries, lines_of_original, lines_of_rebuild
from tests.support.apps import new_app, template_of


def row(entry: Entry) -> List[str]:
    stack = Stack(new_app(), "Corpus")
    built = entry.module.build(stack)
    template = template_of(stack).to_json()
    ids = {original: stack.get_logical_id(construct.node.default_child) for original, construct in built.items()}
    comparison = compare(entry, template, ids)
    warnings = Counter(m.entry.data.rsplit("[ack: ", 1)[-1].rstrip("]").removeprefix("mw-constructs:")
                       for m in Annotations.from_stack(stack).find_warning("*", Match.any_value()) if "[ack: " in m.entry.data)
    fully = not comparison.differences and not entry.escapes and not entry.not_rebuilt
    return [entry.name, str(comparison.compared), "fully" if fully else "partly",
            str(len(comparison.differences)), str(len(entry.escapes)), str(len(entry.not_rebuilt)), str(len(entry.refused)),
            str(lines_of_original(entry)), str(lines_of_rebuild(entry)),
            ", ".join(f"{name} x{count}" if count > 1 else name for name, count in sorted(warnings.items())) or "-"]


def main() -> None:
    header = ["configuration", "SSM resources", "expressed", "documented differences", "escape hatch", "left out",
              "refusals", "original lines", "rebuild lines", "warnings"]
    rows = [row(entry) for entry in entries()]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    total = [sum(int(cells[i]) for cells in rows) for i in (1, 3, 4, 5, 6, 7, 8)]
    fully = sum(cells[2] == "fully" for cells in rows)
    print(f"\n{len(rows)} configurations, {total[0]} SSM resources: {fully} fully, {len(rows) - fully} partly; "
          f"{total[1]} documented differences, {total[2]} escape-hatch writes, {total[3]} resources left out, "
          f"{total[4]} refusals; {total[5]} original lines, {total[6]} rebuild lines.")


if __name__ == "__main__":
    main()

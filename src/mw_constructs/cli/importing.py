"""``mw-constructs import``: existing windows as Python code that uses the library (issue 22).

Reads a CloudFormation template, a Terraform state (``terraform show -json``) or the account
(read-only), writes the module with ``-o``, and, where the source knows the resources' IDs (an
account, a state), the ``cdk import --resource-mapping`` file beside it. Prints what it could not
say with the library's arguments, what the library refuses and what its checks found: nothing
is left out without a line saying so.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Dict, List

__all__ = ["import_command"]


def import_command(arguments: argparse.Namespace) -> int:
    """Run ``mw-constructs import``: read the source, write the module (and the import mapping),
    print what it could not say, what was refused and what the checks found; 0 when written."""
    from ..adopt import adopt
    from ..readback import configuration as account_reader
    from ..readback import files
    from ..readback.account import AccountError, make_client
    from ..readback.assembly import printable

    output: Path = arguments.output
    if arguments.template is not None:
        source, found = str(arguments.template), files.read_template(arguments.template)
    elif arguments.terraform is not None:
        source, found = str(arguments.terraform), files.read_terraform(arguments.terraform)
    else:
        client = make_client(arguments.region, arguments.profile)
        tags: Dict[str, str] = dict(arguments.tag)
        found = account_reader.read_configuration(client, window_ids=arguments.window_id, names=arguments.name,
                                                  tags=tags, baselines=not arguments.no_baselines)
        source = f"account {client.meta.region_name}"
    if not found.resources:
        raise AccountError(f"{source} holds no maintenance window or patch baseline to import (check the filters)")
    class_name = arguments.class_name or _class_name(output)
    adoption = adopt(found, class_name=class_name, source=source)
    output.write_text(adoption.code)
    lines: List[str] = [f"wrote {output}: {len(adoption.logical_ids)} resources as class {class_name}"]
    mapping = adoption.import_mapping(found)
    if mapping:
        mapping_file = output.with_suffix(".import.json")
        mapping_file.write_text(json.dumps(mapping, indent=2) + "\n")
        lines.append(f"wrote {mapping_file}: adopt them in place with "
                     f"cdk import --app \"python {output}\" --resource-mapping {mapping_file}")
    for name in adoption.parameters:
        lines.append(f"parameter: {name} is outside the source: give it at deploy (cdk deploy --parameters {name}=...)")
    for key, why in adoption.raw.items():
        lines.append(f"written as a CfnResource: {key}: {why}")
    for escape in adoption.escapes:
        lines.append(f"escape hatch: {escape.key}: {escape.path}")
    for key, findings in adoption.findings.items():
        lines.extend(f"finding: {key}: {finding}" for finding in findings)
    for key, notes in adoption.notes.items():
        lines.extend(f"not in CloudFormation: {key}: {note}" for note in notes)
    lines.extend(f"not imported: {note}" for note in adoption.left_out)
    print("\n".join(printable(line) for line in lines))  # keys and notes quote the source
    return 0


def _class_name(output: Path) -> str:
    words = [word for word in re.split(r"[^A-Za-z0-9]+", output.stem) if word]
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name if re.fullmatch(r"[A-Z][A-Za-z0-9]*", name or "") else "AdoptedPatching"

"""Pseudo parameters: placeholders SSM replaces when a maintenance-window task runs
(``{{RESOURCE_ID}}``, ``{{WINDOW_EXECUTION_ID}}``, ...), as typed constants, and the check of
where each may be used.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/userguide/maintenance-window-tasks-pseudo-parameters.html

Where AWS is explicit, the rule follows it: ``{{TARGET_ID}}`` and ``{{RESOURCE_ID}}`` pass
resource IDs to Automation, Lambda and Step Functions tasks only, never to Run Command. The
rest are choices of this library, written down here and tested:

* a task without targets runs once, for no target: ``{{TARGET_ID}}``, ``{{RESOURCE_ID}}``,
  ``{{TARGET_TYPE}}`` and ``{{WINDOW_TARGET_ID}}`` would have nothing to stand for, so they
  are rejected there;
* ``{{LOGGING_S3_BUCKET_NAME}}``, ``{{LOGGING_S3_KEY_PREFIX}}`` and ``{{LOGGING_S3_REGION}}``
  are filled from a task's ``LoggingInfo``, which AWS deprecated and this library never sets;
  they would stay empty, so they are rejected everywhere (send output with ``TaskOutput``, or
  pass your bucket to the function or runbook as a parameter);
* an upper-case ``{{NAME}}`` that is none of these is a typo (``{{RESOURCEID}}``) and is
  rejected with the closest name. Placeholders with other characters (``{{ssm:param}}``,
  ``{{ InstanceId }}``) are left alone: they belong to SSM documents, not to the window.
"""

from __future__ import annotations

import difflib
import re
from typing import Final, Iterable, List, Mapping, Optional

from ..errors import Advice
from .._internal.validate import fail

__all__ = ["LONGEST", "PLACEHOLDER", "PseudoParameter", "TaskKind", "check_pseudo_parameters", "longest_length"]


class PseudoParameter:
    """The pseudo parameters of maintenance-window tasks, as the strings SSM replaces.

    Use them inside parameter values, payloads and inputs, e.g.
    ``parameters={"InstanceId": [PseudoParameter.RESOURCE_ID]}``."""

    WINDOW_ID: Final = "{{WINDOW_ID}}"  #: the window's ID
    WINDOW_TASK_ID: Final = "{{WINDOW_TASK_ID}}"  #: the ID of the running task
    WINDOW_TARGET_ID: Final = "{{WINDOW_TARGET_ID}}"  #: the ID of the window target that includes the target
    WINDOW_EXECUTION_ID: Final = "{{WINDOW_EXECUTION_ID}}"  #: the ID of the current window execution
    TASK_EXECUTION_ID: Final = "{{TASK_EXECUTION_ID}}"  #: the ID of the current task execution
    INVOCATION_ID: Final = "{{INVOCATION_ID}}"  #: the ID of the current invocation
    TARGET_TYPE: Final = "{{TARGET_TYPE}}"  #: INSTANCE or RESOURCE_GROUP
    TARGET_ID: Final = "{{TARGET_ID}}"  #: the instance ID, or the resource's full ARN in a resource group (not Run Command)
    RESOURCE_ID: Final = "{{RESOURCE_ID}}"  #: the short ID of the resource, e.g. i-0123... (not Run Command)
    LOGGING_S3_BUCKET_NAME: Final = "{{LOGGING_S3_BUCKET_NAME}}"  #: from the deprecated LoggingInfo: always rejected
    LOGGING_S3_KEY_PREFIX: Final = "{{LOGGING_S3_KEY_PREFIX}}"  #: from the deprecated LoggingInfo: always rejected
    LOGGING_S3_REGION: Final = "{{LOGGING_S3_REGION}}"  #: from the deprecated LoggingInfo: always rejected


#: The longest text SSM puts in place of each pseudo parameter: IDs are UUIDs (36 characters) or
#: window IDs (20); a target ID is an instance ID (up to 20, ``mi-`` + 17) or, for a resource group,
#: the resource's ARN (up to 2,048); a target type is INSTANCE or RESOURCE_GROUP.
LONGEST: Mapping[str, int] = {
    PseudoParameter.WINDOW_ID: 20, PseudoParameter.WINDOW_TASK_ID: 36, PseudoParameter.WINDOW_TARGET_ID: 36,
    PseudoParameter.WINDOW_EXECUTION_ID: 36, PseudoParameter.TASK_EXECUTION_ID: 36, PseudoParameter.INVOCATION_ID: 36,
    PseudoParameter.TARGET_TYPE: 14, PseudoParameter.TARGET_ID: 2048, PseudoParameter.RESOURCE_ID: 2048,
}


def longest_length(text: str) -> int:
    """How long ``text`` can be once SSM has put values in place of its pseudo parameters."""
    return len(text) + sum(LONGEST.get(match.group(0), len(match.group(0))) - len(match.group(0))
                           for match in PLACEHOLDER.finditer(text))


class TaskKind:
    """The task types as SSM spells them (``TaskType``)."""

    RUN_COMMAND: Final = "RUN_COMMAND"
    AUTOMATION: Final = "AUTOMATION"
    LAMBDA: Final = "LAMBDA"
    STEP_FUNCTIONS: Final = "STEP_FUNCTIONS"


_KNOWN = tuple(value for name, value in vars(PseudoParameter).items() if name.isupper())
#: A window pseudo-parameter placeholder: ``{{`` upper-case letters, digits, ``_`` ``}}``.
PLACEHOLDER = re.compile(r"\{\{([A-Z0-9_]+)\}\}")
_PER_TARGET = (PseudoParameter.TARGET_ID, PseudoParameter.RESOURCE_ID, PseudoParameter.TARGET_TYPE,
               PseudoParameter.WINDOW_TARGET_ID)
_LOGGING = (PseudoParameter.LOGGING_S3_BUCKET_NAME, PseudoParameter.LOGGING_S3_KEY_PREFIX,
            PseudoParameter.LOGGING_S3_REGION)


def unsupported_reason(pseudo: str, kind: str, has_targets: bool) -> Optional[str]:
    """Why ``pseudo`` cannot be used in a task of type ``kind`` (None when it can)."""
    if pseudo in _LOGGING:
        return ("it is filled from the task's LoggingInfo, which AWS deprecated and mw-constructs never sets, so it "
                "would stay empty: send output with TaskOutput, or pass your bucket as a parameter")
    if kind == TaskKind.RUN_COMMAND and pseudo in (PseudoParameter.TARGET_ID, PseudoParameter.RESOURCE_ID):
        return ("Run Command tasks do not support it (AWS passes resource IDs to Automation, Lambda and Step Functions "
                "tasks only): use {{WINDOW_TARGET_ID}}, or let the document read the instance ID on the node")
    if not has_targets and pseudo in _PER_TARGET:
        return "the task has no targets, so there is no target for it to stand for: give the task targets, or drop it"
    return None


def check_pseudo_parameters(where: str, values: Iterable[str], *, kind: str, has_targets: bool) -> List[Advice]:
    """Fail when a value in ``values`` (found at ``where``, e.g. ``parameters['InstanceId']``)
    uses a pseudo parameter a task of type ``kind`` cannot use (SSM leaves it unfilled, so the
    run gets the placeholder). An upper-case ``{{NAME}}`` that is no pseudo parameter is passed
    on as written: legal, but most likely a misspelling, so it is a warning (returned)."""
    advice = []
    for value in values:
        for match in PLACEHOLDER.finditer(value):
            pseudo = match.group(0)
            if pseudo not in _KNOWN:
                close = difflib.get_close_matches(pseudo, _KNOWN, n=1, cutoff=0.75)
                hint = f" Did you mean {close[0]}?" if close else f" Known: {', '.join(_KNOWN)}."
                advice.append(Advice("mw-constructs:UnknownPseudoParameter", (
                    f"{where} uses {pseudo}, which is not a maintenance window pseudo parameter: SSM passes it on as "
                    f"written.{hint}")))
                continue
            reason = unsupported_reason(pseudo, kind, has_targets)
            if reason is not None:
                fail("UnsupportedPseudoParameter", f"{where} uses {pseudo}: {reason}.")
    return advice


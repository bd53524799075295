"""Step Functions tasks: ``StepFunctionsTask`` starts a state machine execution
(``TaskType: STEP_FUNCTIONS``).

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_MaintenanceWindowStepFunctionsParameters.html
and, for execution names, https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Mapping, Optional, Tuple, Union

from aws_cdk import Fn
from aws_cdk import aws_ssm as ssm
from constructs import Construct
from typing_extensions import Unpack

from .._internal.tokens import is_token
from .._internal.validate import check_options, check_pattern, fail, literal_text, quote
from ..interfaces import IPatchingWindow
from .pseudo_parameters import PLACEHOLDER, PseudoParameter, TaskKind, longest_length
from .._internal.arns import arn_in_this_environment
from ..iam.grants import Permission, target_permissions
from .._internal.task_arguments import parse_json
from ..interfaces import TaskOptions
from .base import TaskBase, TaskSettings
from .._internal.signatures import truthful_signature

if TYPE_CHECKING:
    from aws_cdk import aws_stepfunctions

__all__ = ["StateMachineLike", "StepFunctionsTask"]

#: [API] MaintenanceWindowStepFunctionsParameters.Input: at most 4,096 characters.
INPUT_LIMIT = 4096
_STATE_MACHINE_ARN = re.compile(r"arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[a-zA-Z0-9_-]{1,80}")
# Step Functions names: no whitespace, brackets, wildcards, " # % \ ^ | ~ ` $ & , ; : / or control characters.
#: What the task's role needs: start executions of exactly this state machine (StartExecution takes
#: the stateMachine ARN) and describe them (DescribeExecution takes the execution ARN); the
#: maintenance-window role page's custom policy lists both.
START_EXECUTION_ACTIONS: Tuple[str, ...] = ("states:StartExecution",)
DESCRIBE_EXECUTION_ACTIONS: Tuple[str, ...] = ("states:DescribeExecution",)
_BAD_NAME_CHARACTERS = re.compile(r"[\s<>{}\[\]?*\"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]")

#: What a ``state_machine`` argument takes.
StateMachineLike = Union["aws_stepfunctions.IStateMachine", str]


@truthful_signature
class StepFunctionsTask(TaskBase):
    """A Step Functions task of a window: starts an execution of ``state_machine`` per target
    (or one, without targets).

    Args:
        window: the window (any ``IPatchingWindow``).
        state_machine: an ``sfn.IStateMachine`` or a state machine ARN.
        input: the execution's input, a dict (rendered as JSON) or a JSON string of at most
            4,096 characters; pseudo parameters in it are filled per target.
        execution_name: 1-80 characters Step Functions allows in a name. Names must be unique
            per state machine for 90 days, so a name must contain ``{{INVOCATION_ID}}`` (one
            execution per target and run), or, on a task without targets, that or
            ``{{TASK_EXECUTION_ID}}`` / ``{{WINDOW_EXECUTION_ID}}``. Default: SSM lets Step
            Functions name the execution.
        **options: :class:`TaskOptions` (targets optional).

    The task's role may start executions of exactly this state machine
    (``states:StartExecution``) and describe them (``states:DescribeExecution``).

    Attributes:
        task_id: the task's ID (a token).
        window: the window it is registered with.
        role: the role that starts the executions.
        state_machine_arn: the state machine started.

    ``node.default_child`` is the L1.
    """

    def __init__(self, scope: Construct, id: str, *, window: IPatchingWindow, state_machine: StateMachineLike,
                 input: Optional[Union[Mapping[str, Any], str]] = None, execution_name: Optional[str] = None,
                 **options: Unpack[TaskOptions]) -> None:
        check_options(type(self).__name__, options, TaskOptions.__annotations__)
        arn = _state_machine_arn(state_machine)
        name = None if isinstance(state_machine, str) else getattr(state_machine, "state_machine_name", None)
        common = TaskSettings.parse(window, options, kind="a Step Functions task", task_type=TaskKind.STEP_FUNCTIONS)
        input_json = _input(input, common)
        _check_execution_name(execution_name, common)
        super().__init__(scope, id, common)

        self.state_machine_arn = arn
        self._grant((
            *(target_permissions() if common.has_targets else ()),
            Permission(START_EXECUTION_ACTIONS, (arn,), sid="StartStateMachines"),
            Permission(DESCRIBE_EXECUTION_ACTIONS, (execution_arns(arn, name),), sid="TrackStateMachineExecutions",
                       why="execution names are chosen when the window runs; these are the executions of this state "
                           "machine only"),
        ), "starting the state machine's executions")
        self._create(
            common, task_arn=arn,
            invocation=ssm.CfnMaintenanceWindowTask.TaskInvocationParametersProperty(
                maintenance_window_step_functions_parameters=ssm.CfnMaintenanceWindowTask.MaintenanceWindowStepFunctionsParametersProperty(
                    input=input_json, name=execution_name,
                )
            ),
        )


def execution_arns(state_machine_arn: str, state_machine_name: Optional[str] = None) -> str:
    """The executions of a state machine: ``arn:<partition>:states:<region>:<account>:execution:<name>:*``.

    A literal ARN gives its own partition, Region, account and name; a deploy-time one (a state
    machine of this app) is in this stack's environment, named ``state_machine_name`` or the
    name read from the ARN at deploy time."""
    if not is_token(state_machine_arn):
        parts = state_machine_arn.split(":")
        return ":".join(parts[:5] + ["execution", parts[6], "*"])
    name = state_machine_name if state_machine_name is not None else Fn.select(6, Fn.split(":", state_machine_arn))
    return arn_in_this_environment("states", f"execution:{name}:*")


def _state_machine_arn(state_machine: Any) -> str:
    if isinstance(state_machine, str):
        check_pattern(state_machine, _STATE_MACHINE_ARN, "InvalidStateMachine",
                      f"state_machine must be an sfn.IStateMachine or a state machine ARN such as "
                      f"'arn:aws:states:eu-west-1:123456789012:stateMachine:Patch': got {quote(state_machine)}.")
        return state_machine
    if hasattr(state_machine, "state_machine_arn") and hasattr(state_machine, "grant_start_execution"):
        arn = state_machine.state_machine_arn
        assert isinstance(arn, str)
        return arn
    fail("InvalidStateMachine", f"state_machine must be an sfn.IStateMachine or a state machine ARN: got "
                                f"{quote(state_machine)}.")


def _input(value: Any, common: TaskSettings) -> Optional[str]:
    text = parse_json("input", value, "InvalidExecutionInput")
    if text is None:
        return None
    if len(literal_text(text)) > INPUT_LIMIT:  # the parts known at synthesis; tokens count as nothing
        fail("InvalidExecutionInput", f"input is {len(literal_text(text)):,} characters of JSON; SSM takes at most {INPUT_LIMIT:,}. "
                                      f"Pass an S3 location or an ID and let the state machine read the rest.")
    common.check_values("input", [text])
    return text


def _check_execution_name(name: Any, common: TaskSettings) -> None:
    if name is None or is_token(name):
        return
    if not isinstance(name, str) or not 1 <= len(name) <= 80 or _BAD_NAME_CHARACTERS.search(PLACEHOLDER.sub("", name)):
        fail("InvalidExecutionName", f"execution_name must be 1-80 characters without whitespace, brackets, wildcards "
                                     f"or any of \" # % \\ ^ | ~ ` $ & , ; : / (pseudo parameters such as "
                                     f"{{{{INVOCATION_ID}}}} are fine): got {quote(name)}.")
    common.check_values("execution_name", [name])
    if longest_length(name) > 80:
        fail("InvalidExecutionName", f"execution_name {quote(name)} can be {longest_length(name)} characters once SSM puts "
                                     f"the pseudo parameters' values in (an ID is 36 characters): Step Functions takes at "
                                     f"most 80. Shorten the text around them.")
    unique = (PseudoParameter.INVOCATION_ID,) if common.has_targets else (
        PseudoParameter.INVOCATION_ID, PseudoParameter.TASK_EXECUTION_ID, PseudoParameter.WINDOW_EXECUTION_ID)
    if not any(pseudo in name for pseudo in unique):
        fail("InvalidExecutionName", f"execution_name {quote(name)} would be the same on every run, and Step Functions "
                                     f"refuses a name used in the last 90 days: add {' or '.join(unique)}, e.g. "
                                     f"'patch-{unique[0]}'.")

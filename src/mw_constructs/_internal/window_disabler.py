"""``PatchingWindow(..., enabled=False)``: keep a window disabled although CloudFormation's
``AWS::SSM::MaintenanceWindow`` has no ``Enabled`` property.

Each disabled window gets a ``Custom::MaintenanceWindowDisabled`` resource. On create and on
every update it calls ``UpdateMaintenanceWindow(WindowId, Enabled=False)``; its properties hold
the window's own properties, so any change CloudFormation makes to the window (which might
reset it) is followed by disabling it again. On delete (``enabled`` set back to ``True``, the
resource removed, or the stack deleted) it enables the window again if it still exists.

One function per stack serves all of its disabled windows: inline Python (no asset to
upload, see ``handlers``), its own role allowed to write to its own log group and, through one
policy per window, ``ssm:UpdateMaintenanceWindow`` on exactly those windows. The custom resource
depends on its window's policy, so the policy is deleted after it: a window switched back to
``enabled=True`` keeps the permission until its re-enabling call is done. A window gone out of
band (deleted by hand) is done, on every request. Nothing of this exists in a stack whose
windows are all enabled.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateMaintenanceWindow.html
"""

from __future__ import annotations

import json
from typing import Any, Dict

from aws_cdk import CustomResource
from aws_cdk import aws_iam as iam
from constructs import Construct

from .handlers import COMMON_CODE, DeployTimeFunction
from .registry import PerStack

__all__ = ["HANDLER_CODE", "MAX_DISABLED_WINDOWS", "RESOURCE_TYPE", "disable_window"]

RESOURCE_TYPE = "Custom::MaintenanceWindowDisabled"

#: The function's code (inline, so the template needs no asset). Tested in tests/test_handlers.py.
HANDLER_CODE = COMMON_CODE + '''

def act(event, context):
    kind = request_type(event)
    window_id = (event.get("ResourceProperties") or {}).get("WindowId")
    if kind == "Delete":
        physical = str(event.get("PhysicalResourceId") or "none")
        if not isinstance(window_id, str) or not window_id:
            return physical, "no window to enable again", None
    elif not isinstance(window_id, str) or not window_id:
        raise ValueError("the event's ResourceProperties have no WindowId")
    else:
        physical = "disabled-" + window_id
    enabled = kind == "Delete"
    try:
        allowed(lambda: ssm().update_maintenance_window(WindowId=window_id, Enabled=enabled), context)
    except Exception as error:
        if code_of(error) != "DoesNotExistException":
            raise
        return physical, "window " + window_id + " no longer exists", None
    return physical, "window " + window_id + (" enabled again" if enabled else " disabled"), None
'''

#: The longest policy document of one window (the longest partition and Region names), as IAM
#: measures it: without whitespace.
_LONGEST_GRANT = len(json.dumps({"Version": "2012-10-17", "Statement": [{
    "Action": "ssm:UpdateMaintenanceWindow", "Effect": "Allow",
    "Resource": "arn:aws-us-gov:ssm:ap-southeast-5:123456789012:maintenancewindow/mw-0123456789abcdef0"}]},
    separators=(",", ":")))
#: Disabled windows one stack can hold: each has a policy of the function's role, and IAM takes at
#: most 10,240 characters of a role's policies in all.
MAX_DISABLED_WINDOWS = 10_240 // _LONGEST_GRANT


def _function(stack: Any) -> DeployTimeFunction:
    return DeployTimeFunction(stack, "MaintenanceWindowDisabler", code=HANDLER_CODE,
                              description="Keeps maintenance windows disabled (mw-constructs enabled=False)")


#: Per stack: the function and role that disable its windows (made with the first disabled window).
_FUNCTIONS: PerStack[DeployTimeFunction] = PerStack(_function)
#: Per stack: how many windows it disables.
_COUNTS: PerStack[list[int]] = PerStack(lambda stack: [0])


def disabled_windows(scope: Construct) -> int:
    """How many windows of ``scope``'s stack are disabled so far."""
    return _COUNTS.of(scope)[0]


def disable_window(window: Construct, window_id: str, window_arn: str, properties: Dict[str, Any]) -> CustomResource:
    """A ``Custom::MaintenanceWindowDisabled`` child of ``window`` keeping it disabled;
    ``properties`` (the window's own) make every change to the window disable it again."""
    function = _FUNCTIONS.of(window)
    grant = function.grant(window, "DisabledGrant", [iam.PolicyStatement(
        actions=["ssm:UpdateMaintenanceWindow"], resources=[window_arn])])
    _COUNTS.of(window)[0] += 1
    return function.custom_resource(window, "Disabled", resource_type=RESOURCE_TYPE,
                                    properties={"WindowId": window_id, "Window": properties}, depends_on=[grant])

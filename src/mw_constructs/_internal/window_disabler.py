"""``PatchingWindow(..., enabled=False)``: keep a window disabled although CloudFormation's
``AWS::SSM::MaintenanceWindow`` has no ``Enabled`` property.

Each disabled window gets a ``Custom::MaintenanceWindowDisabled`` resource. On create and on
every update it calls ``UpdateMaintenanceWindow(WindowId, Enabled=False)``; its properties hold
the window's own properties, so any change CloudFormation makes to the window (which might
reset it) is followed by disabling it again. On delete (``enabled`` set back to ``True``, the
resource removed, or the stack deleted) it enables the window again if it still exists.

One function per stack serves all of its disabled windows: inline Python (no asset to
upload), its own role allowed ``ssm:UpdateMaintenanceWindow`` on exactly those windows and to
write to its own log group. Nothing of this exists in a stack whose windows are all enabled.

AWS reference: https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_UpdateMaintenanceWindow.html
"""

from __future__ import annotations

from typing import Any, Dict

from aws_cdk import CustomResource, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from . import iam_types
from .registry import PerStack
from .nag import acknowledge_in_compliance_packs

__all__ = ["HANDLER_CODE", "RESOURCE_TYPE", "disable_window"]

RESOURCE_TYPE = "Custom::MaintenanceWindowDisabled"

#: The function's code (inline, so the template needs no asset). Tested in tests/test_window_disabler.py.
HANDLER_CODE = '''\
import json
import urllib.request

import boto3

ssm = boto3.client("ssm")


def handler(event, context):
    window_id = event["ResourceProperties"]["WindowId"]
    status, reason = "SUCCESS", "window " + window_id
    try:
        if event["RequestType"] == "Delete":
            try:
                ssm.update_maintenance_window(WindowId=window_id, Enabled=True)
                reason += " enabled again"
            except ssm.exceptions.DoesNotExistException:
                reason += " no longer exists"
        else:
            ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
            reason += " disabled"
    except Exception as error:  # reported to CloudFormation, which rolls back
        status, reason = "FAILED", f"{type(error).__name__}: {error}"[:1000]
    print(json.dumps({"RequestType": event["RequestType"], "Status": status, "Reason": reason}))
    body = json.dumps({
        "Status": status, "Reason": reason, "PhysicalResourceId": "disabled-" + window_id,
        "StackId": event["StackId"], "RequestId": event["RequestId"], "LogicalResourceId": event["LogicalResourceId"],
    }).encode()
    request = urllib.request.Request(event["ResponseURL"], data=body, method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body))})
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
'''


class _Handler:
    """The stack's function, role, policy and log group (created with the first disabled window)."""

    def __init__(self, stack: Stack) -> None:
        scope = Construct(stack, "MaintenanceWindowDisabler")
        self.scope = scope
        log_group = logs.LogGroup(scope, "Logs", retention=logs.RetentionDays.ONE_YEAR, removal_policy=RemovalPolicy.RETAIN)
        role = iam.Role(scope, "Role", assumed_by=iam_types.service("lambda.amazonaws.com"),
                        description="Disables maintenance windows created with enabled=False (mw-constructs)")
        self.update = iam.PolicyStatement(sid="DisableTheseWindows", actions=["ssm:UpdateMaintenanceWindow"])
        self.policy = iam.ManagedPolicy(  # customer managed, not inline (NIST/HIPAA/PCI: IAMNoInlinePolicy)
            scope, "Policy", roles=[iam_types.role(role)],
            description="Disable the maintenance windows of this stack that say enabled=False (mw-constructs)",
            statements=[
                self.update,
                iam.PolicyStatement(sid="WriteOwnLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                    resources=[log_group.log_group_arn]),
            ],
        )
        function = lambda_.CfnFunction(
            scope, "Function", role=role.role_arn, runtime=lambda_.Runtime.PYTHON_3_14.name, handler="index.handler",
            code=lambda_.CfnFunction.CodeProperty(zip_file=HANDLER_CODE), timeout=60, memory_size=128,
            description="Keeps maintenance windows disabled (mw-constructs enabled=False)",
            logging_config=lambda_.CfnFunction.LoggingConfigProperty(log_group=log_group.log_group_name),
        )
        function.node.add_dependency(self.policy)
        self.function_arn = function.attr_arn
        _acknowledge(scope, log_group)


#: Per stack: the function and role that disable its windows (made with the first disabled window).
_HANDLERS: PerStack[_Handler] = PerStack(_Handler)


def disable_window(window: Construct, window_id: str, window_arn: str, properties: Dict[str, Any]) -> CustomResource:
    """A ``Custom::MaintenanceWindowDisabled`` child of ``window`` keeping it disabled;
    ``properties`` (the window's own) make every change to the window disable it again."""
    handler = _HANDLERS.of(window)
    handler.update.add_resources(window_arn)
    resource = CustomResource(
        window, "Disabled", service_token=handler.function_arn, resource_type=RESOURCE_TYPE,
        properties={"WindowId": window_id, "Window": properties},
    )
    resource.node.add_dependency(handler.policy)
    return resource


def _acknowledge(scope: Construct, log_group: logs.LogGroup) -> None:
    what = "The function that disables maintenance windows"
    acknowledge_in_compliance_packs(scope, "LambdaDLQ", f"{what} is invoked synchronously by CloudFormation, which "
                                                        "records and reports a failure itself; nothing to queue")
    acknowledge_in_compliance_packs(scope, "LambdaConcurrency", f"{what} runs once per deployment change of a "
                                                                "disabled window; reserving concurrency would only take "
                                                                "it from the account's pool")
    acknowledge_in_compliance_packs(scope, "LambdaInsideVPC", f"{what} calls only the Systems Manager API and "
                                                              "reaches no resource in a VPC")
    acknowledge_in_compliance_packs(log_group, "CloudWatchLogGroupEncrypted",
                                    "The log group holds only window IDs and request outcomes, no secrets; "
                                    "CloudWatch Logs encrypts it at rest with its own keys")

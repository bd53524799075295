"""Every IAM action the library grants, with the AWS page it comes from (one place).

* Maintenance-window service role: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-maintenance-permissions.html
* Which actions take resource-level permissions: the Service Authorization Reference,
  https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
* SNS notifications for Run Command: https://docs.aws.amazon.com/systems-manager/latest/userguide/monitoring-sns-notifications.html
* Automation, Lambda and Step Functions tasks: the same maintenance-window role page (its custom
  policy lists ssm:StartAutomationExecution/GetAutomationExecution, lambda:InvokeFunction and
  states:StartExecution/DescribeExecution), scoped here to the runbooks, functions and state machines used
* Command output written by the instances: https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-rc-setting-up.html
"""

from __future__ import annotations

from typing import Dict, Tuple

SSM_SERVICE = "ssm.amazonaws.com"
#: The condition on every ``iam:PassRole`` the library grants: only to Systems Manager.
PASSED_TO_SSM: Dict[str, Dict[str, str]] = {"StringEquals": {"iam:PassedToService": SSM_SERVICE}}
PASS_ROLE = "iam:PassRole"

# --- the maintenance-window service role (what SSM does while a task runs)
#: Run Command bookkeeping. None of these supports resource-level permissions, so AWS requires
#: Resource "*". CancelCommand makes CutoffBehavior CANCEL_TASK work (the AWS managed policy lacks it).
COMMAND_ACTIONS: Tuple[str, ...] = ("ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations",
                                    "ssm:ListCommands")
#: Resolving tag and resource-group targets. ListGroups and GetResources take "*" only.
TARGET_LOOKUP_ACTIONS: Tuple[str, ...] = ("resource-groups:ListGroups", "tag:GetResources")
#: Scoped to this account's resource groups.
GROUP_RESOURCES_ACTION = "resource-groups:ListGroupResources"
#: Scoped to the documents the tasks run, and to instances and managed instances.
SEND_COMMAND_ACTION = "ssm:SendCommand"

# --- Automation tasks: start the runbook (automation-definition/<name>:<version>) and follow
#     its execution (automation-execution/<id>). Service Authorization Reference, "Systems Manager".
START_AUTOMATION_ACTION = "ssm:StartAutomationExecution"
AUTOMATION_TRACKING_ACTIONS: Tuple[str, ...] = ("ssm:GetAutomationExecution",)

# --- Lambda tasks: invoke exactly the task's function (qualified ARN when the task is).
INVOKE_FUNCTION_ACTIONS: Tuple[str, ...] = ("lambda:InvokeFunction",)

# --- Step Functions tasks: start executions of the task's state machine and describe them
#     (StartExecution takes the stateMachine ARN, DescribeExecution the execution ARN).
START_EXECUTION_ACTIONS: Tuple[str, ...] = ("states:StartExecution",)
DESCRIBE_EXECUTION_ACTIONS: Tuple[str, ...] = ("states:DescribeExecution",)

# --- SNS notifications: the notification role SSM assumes
PUBLISH_ACTIONS: Tuple[str, ...] = ("sns:Publish",)

# --- command output, written by the instances (their role, not the window's)
S3_OUTPUT_OBJECT_ACTIONS: Tuple[str, ...] = ("s3:PutObject", "s3:PutObjectAcl")
S3_OUTPUT_BUCKET_ACTIONS: Tuple[str, ...] = ("s3:GetEncryptionConfiguration",)
LOGS_OUTPUT_GROUP_ACTIONS: Tuple[str, ...] = ("logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents")
#: DescribeLogGroups takes no resource-level permission.
LOGS_OUTPUT_ACCOUNT_ACTIONS: Tuple[str, ...] = ("logs:DescribeLogGroups",)

# --- AwsManagedBaseline's custom resources
#: DescribePatchBaselines takes no resource-level permission.
DESCRIBE_BASELINES_ACTION = "ssm:DescribePatchBaselines"
PATCH_GROUP_REGISTRATION_ACTIONS: Tuple[str, ...] = ("ssm:RegisterPatchBaselineForPatchGroup",
                                                     "ssm:DeregisterPatchBaselineForPatchGroup")

# --- AWS managed policies the library attaches (only these; see README "IAM")
WINDOW_ROLE_MANAGED_POLICY = "service-role/AmazonSSMMaintenanceWindowRole"  # opt-in only
INSTANCE_CORE_POLICY = "AmazonSSMManagedInstanceCore"

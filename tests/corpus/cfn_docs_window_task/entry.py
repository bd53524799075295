"""The CloudFormation User Guide's maintenance window tasks: Run Command tasks (a resource group
target, a window target ID, a PowerShell script with CloudWatch output), an Automation runbook,
Step Functions tasks and a Lambda task."""

import base64

from aws_cdk import Duration
from aws_cdk import aws_logs as logs

from mw_constructs import (
    AutomationTask,
    LambdaTask,
    MaintenanceWindowRole,
    PatchingWindow,
    PatchOperation,
    RebootOption,
    RunCommandTask,
    RunPatchBaselineTask,
    StepFunctionsTask,
    TaskOutput,
    WindowSchedule,
    WindowTarget,
)
from tests.corpus.support import Refusal

SOURCE = ("examples.json", "cloudformation")
_WINDOW, _TARGET = "mw-0123456789abcdef0", "e32eecb2-646c-4f4b-8ed1-205fb8ee2df6"
_AUTOMATION_ROLE = "arn:aws:iam::111122223333:role/AutomationRole"
_STEP_FUNCTION_ROLE = "arn:aws:iam::111122223333:role/StepFunctionRole"
_STATE_MACHINE = "arn:aws:states:us-east-2:111122223333:stateMachine:SSMStepFunctionDemo"
_CLIENT_CONTEXT = base64.b64encode(b'{"testContext":"Nothing"}').decode()
_PAYLOAD = "eyJJbnN0YW5jZUlkIjoie3tSRVNPVVJDRV9JRH19IiwidGFyZ2V0VHlwZSI6Int7VEFSR0VUX1RZUEV9fSJ9"
_SLR = "arn:aws:iam::111222333444:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM"
PLACEHOLDERS = {
    '"WindowId": "MaintenanceWindow"': f'"WindowId": "{_WINDOW}"',
    # sample 3 refers to a window it does not define: read as the same placeholder
    '"WindowId": {\n          "Ref": "MaintenanceWindow"\n        }': f'"WindowId": "{_WINDOW}"',
    '"MaintenanceWindowTarget"\n': f'"{_TARGET}"\n',
    '"AutomationRole.Arn"': f'"{_AUTOMATION_ROLE}"',
    '"StepFunctionRole.Arn"': f'"{_STEP_FUNCTION_ROLE}"',
    '"TaskArn": "SSMStepFunctionDemo"': f'"TaskArn": "{_STATE_MACHINE}"',
    "i-012345678912345678": "i-01234567891234567",
    "mw-04fd6f19dfEXAMPLE": "mw-04fd6f19df0a0b0c0",
    "eyJ0ZXN0Q29udGV4dCI6Ik5vdGhp==trucated==EXAMPLE": _CLIENT_CONTEXT,
}
_RATE = "written inside TaskInvocationParameters, where the CloudFormation schema has no such property (the " \
        "template would be refused); the rebuild sets the rate controls and the priority on the task, as meant"
PARTLY = {
    "Example2MaintenanceWindowRunCommandTask.TaskInvocationParameters.MaxConcurrency": _RATE,
    "Example2MaintenanceWindowRunCommandTask.TaskInvocationParameters.MaxErrors": _RATE,
    "Example2MaintenanceWindowRunCommandTask.TaskInvocationParameters.Priority": _RATE,
    "Example2MaintenanceWindowRunCommandTask.MaxConcurrency": _RATE,
    "Example2MaintenanceWindowRunCommandTask.MaxErrors": _RATE,
    "Example2MaintenanceWindowRunCommandTask.Priority": _RATE,
    "Example2MaintenanceWindowRunCommandTask.DependsOn": "DependsOn is written inside Properties, where the schema has "
                                                         "no such property; it orders resources, which the rebuild "
                                                         "does not need to",
    "Example7LambdaTask.TaskInvocationParameters.MaintenanceWindowLambdaParameters.Payload":
        "the payload passes {{RESOURCE_ID}} and {{TARGET_TYPE}} to a task without targets, where SSM fills neither "
        "(REFUSED); the rebuild leaves the payload out",
}
REFUSED = [
    Refusal("a state machine given by name as the TaskArn",
            lambda stack: StepFunctionsTask(stack, "T", window=PatchingWindow.from_window_id(stack, "W", _WINDOW),
                                            state_machine="SSMStepFunctionDemo"), "InvalidStateMachine",
            fails="a Step Functions task's TaskArn is the state machine's ARN (StartExecution stateMachineArn): "
                  "SSM cannot start 'SSMStepFunctionDemo'"),
    Refusal("an instance ID with 18 hex digits",
            lambda stack: StepFunctionsTask(
                stack, "T", window=PatchingWindow.from_window_id(stack, "W", _WINDOW, allow_unassociated_targets=True),
                state_machine=_STATE_MACHINE, instance_ids=["i-012345678912345678"], max_concurrency=5, max_errors=5),
            "InvalidInstanceId", fails="EC2 instance IDs have 8 or 17 hex digits: no instance has this ID, so the task "
                                       "has no target"),
    Refusal("per-target pseudo parameters in the payload of a task without targets",
            lambda stack: LambdaTask(stack, "T", window=PatchingWindow.from_window_id(stack, "W", _WINDOW),
                                     function="arn:aws:lambda:us-east-2:111222333444:function:MyLambdaTaskArn",
                                     payload_base64=_PAYLOAD), "UnsupportedPseudoParameter",
            fails="a task without targets has no target for {{RESOURCE_ID}} or {{TARGET_TYPE}} to stand for: the "
                  "function gets the placeholders as text"),
]


def build(stack):
    window = PatchingWindow(stack, "MaintenanceWindow", window_name="MaintenanceWindow", description="Maintenance window for instances",
                            schedule=WindowSchedule.expression("cron(20 17 ? * MON-FRI *)"),
                            duration=Duration.hours(1), cutoff=Duration.hours(0), allow_unassociated_targets=True)
    group = WindowTarget(stack, "Group", window=window, resource_group="TestResourceGroup")
    existing = PatchingWindow.from_window_id(stack, "Existing", _WINDOW, allow_unassociated_targets=True)
    registered = WindowTarget.from_target_id(stack, "Registered", window=existing, target_id=_TARGET)
    run_command_script = RunCommandTask(
        stack, "PowerShell", window=existing, targets=[registered], document="AWS-RunPowerShellScript",
        parameters={"executionTimeout": ["3600"], "commands": [
            "Get-Service myImportantService | Restart-Service\nGet-ExecutionPolicy -List\nSet-ExecutionPolicy -Scope "
            "Process AllSigned\n"]},
        comment="This is a comment",
        output=TaskOutput.cloud_watch(logs.LogGroup.from_log_group_name(stack, "Logs", "MyLogGroupName")),
        service_linked_role=True, max_concurrency=7, max_errors=7, priority=5)
    return {
        "Example1MaintenanceWindow": window,
        "Example1MaintenanceWindowTarget": group,
        "Example1PatchTask": RunPatchBaselineTask(
            stack, "Patch", window=window, targets=[group], operation=PatchOperation.INSTALL,
            reboot_option=RebootOption.NO_REBOOT, description="Apply OS patches on instances in target",
            service_linked_role=True, max_concurrency=1, max_errors=1, priority=0),
        "Example2MaintenanceWindowRunCommandTask": RunPatchBaselineTask(
            stack, "PatchRegistered", window=existing, targets=[registered], operation=PatchOperation.INSTALL,
            reboot_option=RebootOption.NO_REBOOT, service_linked_role=True, max_concurrency=7, max_errors=7, priority=5),
        "Example3MaintenanceWindowRunCommandTask": run_command_script,
        "Example4MaintenanceWindowStepFunctionsTask": AutomationTask(
            stack, "Rollback", window=existing, targets=[registered], document="AWS-PatchInstanceWithRollback",
            document_version=1, parameters={"InstanceId": "{{RESOURCE_ID}}"},
            role=MaintenanceWindowRole.from_role_arn(stack, "AutomationRole", _AUTOMATION_ROLE),
            priority=1, max_concurrency=5, max_errors=5, task_name="AutomationTask"),
        "Example5MaintenanceWindowStepFunctionsTask": StepFunctionsTask(
            stack, "Demo", window=existing, targets=[registered], state_machine=_STATE_MACHINE,
            input='{"instanceId":"{{TARGET_ID}}", "wait_time": 20}', execution_name="{{INVOCATION_ID}}",
            role=(step_role := MaintenanceWindowRole.from_role_arn(stack, "StepFunctionRole", _STEP_FUNCTION_ROLE)),
            priority=1, max_concurrency=5, max_errors=5, task_name="StepFunctionsTask"),
        "Example6StepFunctionsTask": StepFunctionsTask(
            stack, "DemoOnInstance", window=existing, instance_ids=["i-01234567891234567"], state_machine=_STATE_MACHINE,
            input='{"instanceId":"{{TARGET_ID}}", "wait_time": 20}', execution_name="{{INVOCATION_ID}}",
            role=step_role, priority=1, max_concurrency=5, max_errors=5, task_name="StepFunctionsTask"),
        "Example7LambdaTask": LambdaTask(
            stack, "Lambda", window=PatchingWindow.from_window_id(stack, "LambdaWindow", "mw-04fd6f19df0a0b0c0"),
            function="arn:aws:lambda:us-east-2:111222333444:function:MyLambdaTaskArn", qualifier="$LATEST",
            client_context_base64=_CLIENT_CONTEXT,
            role=MaintenanceWindowRole.from_role_arn(stack, "ServiceLinkedRole", _SLR),
            priority=1, task_name="UpdateLambdaTaskEXAMPLE"),
    }

"""AWS CLI examples of register-task-with-maintenance-window: Automation, Lambda, Run Command and
Step Functions tasks, each running as an existing role, on windows and targets imported by ID."""

from aws_cdk import Duration

from mw_constructs import (
    AutomationTask,
    LambdaTask,
    MaintenanceWindowRole,
    PatchingWindow,
    RunCommandTask,
    StepFunctionsTask,
    WindowTarget,
)

SOURCE = ("register-task-with-maintenance-window.rst", "cli")
PLACEHOLDERS = {
    "mw-082dcd7649EXAMPLE": "mw-082dcd7649e0a0b0c", "mw-1234d787d6EXAMPLE": "mw-1234d787d6e0a0b0c",
    "mw-ab12cd34eEXAMPLE": "mw-ab12cd34e0a0b0c0d", "i-1234520122EXAMPLE": "i-1234520122e0a0b0c",
    "i-12344d305eEXAMPLE": "i-12344d305e0a0b0c0", "12347414-69c3-49f8-95b8-ed2dcEXAMPLE": "12347414-69c3-49f8-95b8-ed2dc0a0b0c0",
    "350d44e6-28cc-44e2-951f-4b2c9EXAMPLE": "350d44e6-28cc-44e2-951f-4b2c90a0b0c0",
}
PARTLY = {
    "cli5.TaskParameters": "TaskParameters is deprecated (API reference: 'use the Parameters option in the "
                           "TaskInvocationParameters structure'); the library writes only the current form",
    "cli5.TaskInvocationParameters": "the same commands, written where AWS asks for them now (see cli5.TaskParameters)",
}


def build(stack):
    def role(id, name):
        return MaintenanceWindowRole.from_role_arn(stack, id, f"arn:aws:iam::111222333444:role/{name}")

    window = PatchingWindow.from_window_id(stack, "Window", "mw-082dcd7649dee04e4", allow_unassociated_targets=True)
    ssm_role = role("SsmRole", "SSM")
    return {
        "cli1": AutomationTask(
            stack, "Restart", window=PatchingWindow.from_window_id(stack, "Automation", "mw-082dcd7649e0a0b0c",
                                                                    allow_unassociated_targets=True),
            document="AWS-RestartEC2Instance", document_version="$LATEST", parameters={"InstanceId": "{{RESOURCE_ID}}"},
            instance_ids=["i-1234520122e0a0b0c"], role=ssm_role, priority=0, max_concurrency=1, max_errors=1,
            task_name="AutomationExample", description="Restarting EC2 Instance for maintenance"),
        "cli2": LambdaTask(
            stack, "Lambda", window=window, function="arn:aws:lambda:us-east-1:111222333444:function:SSMTestLAMBDA",
            qualifier="$LATEST", payload='{"InstanceId":"{{RESOURCE_ID}}","targetType":"{{TARGET_TYPE}}"}',
            instance_ids=["i-12344d305e0a0b0c0"], role=ssm_role, priority=0, max_concurrency=10, max_errors=5,
            task_name="Lambda_Example", description="My Lambda Example"),
        "cli3": RunCommandTask(
            stack, "PowerShellModule", window=window, document="AWS-InstallPowerShellModule",
            parameters={"commands": ["Get-Module -ListAvailable"], "executionTimeout": ["3600"],
                        "source": ["https://gallery.technet.microsoft.com/EZOut-33ae0fb7/file/110351/1/EZOut.zip"],
                        "workingDirectory": ["\\"]},
            comment="", output_s3_bucket="runcommandlogs", timeout=Duration.seconds(600),
            instance_ids=["i-12344d305e0a0b0c0"], role=ssm_role, priority=10, max_concurrency=1, max_errors=1,
            task_name="SSMInstallPowerShellModule"),
        "cli4": StepFunctionsTask(
            stack, "StepFunctions", window=(functions := PatchingWindow.from_window_id(stack, "Functions", "mw-1234d787d6e0a0b0c")),
            state_machine="arn:aws:states:us-east-1:111222333444:stateMachine:SSMTestStateMachine",
            input='{"InstanceId":"{{RESOURCE_ID}}"}',
            targets=[WindowTarget.from_target_id(stack, "Registered", window=functions,
                                                 target_id="12347414-69c3-49f8-95b8-ed2dc0a0b0c0")],
            role=role("WindowsRole", "MaintenanceWindows"), priority=0, max_concurrency=10, max_errors=5,
            task_name="Step_Functions_Example", description="My Step Functions Example"),
        "cli5": RunCommandTask(
            stack, "Df", window=(shell := PatchingWindow.from_window_id(stack, "Shell", "mw-ab12cd34e0a0b0c0d")),
            document="AWS-RunShellScript", parameters={"commands": ["df"]},
            targets=[WindowTarget.from_target_id(stack, "ShellTarget", window=shell,
                                                 target_id="350d44e6-28cc-44e2-951f-4b2c90a0b0c0")],
            role=role("ShellRole", "MaintenanceWindowsRole"), priority=10, max_concurrency=1, max_errors=1),
    }

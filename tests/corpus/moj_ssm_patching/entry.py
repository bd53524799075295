"""The Ministry of Justice's patching module with its test stack's inputs: a Monday window
running AWS-PatchInstanceWithRollback as the module's role, and a default Windows baseline."""

from aws_cdk import Duration
from aws_cdk import aws_iam as iam

from mw_constructs import (
    ApprovalRule,
    AutomationTask,
    ComplianceLevel,
    OperatingSystem,
    PatchBaseline,
    PatchFilter,
    PatchFilterKey,
    PatchingWindow,
    WindowSchedule,
    WindowTarget,
)

SOURCE = ("resolved.json", "resolved")
TAGS = {"Name": "ssm-patching"}


def build(stack):
    role = iam.Role(stack, "PatchManagerRole", role_name="patch-manager-iam-role", assumed_by=iam.CompositePrincipal(
        iam.ServicePrincipal("ssm.amazonaws.com"), iam.ServicePrincipal("iam.amazonaws.com")))
    role.add_managed_policy(iam.ManagedPolicy(stack, "PatchManagerPolicy", managed_policy_name="patch-manager-iam-policy",
                                              statements=[iam.PolicyStatement(resources=["*"], actions=[
                                                  "ec2:*", "ssm:*", "cloudwatch:*", "cloudformation:*", "iam:*", "lambda:*"])]))
    window = PatchingWindow(stack, "Group1", window_name="testing-maintenance-window-group1", tags=TAGS,
                            schedule=WindowSchedule.expression("cron(30 17 ? * MON *)"),
                            duration=Duration.hours(4), cutoff=Duration.hours(2))
    target = WindowTarget(stack, "Group1Target", window=window, tags={"patch-manager": "group1"},
                          target_name="maintenance-window-target-group1",
                          description="Targets of the maintenance window by tag key-value pair")
    K = PatchFilterKey
    return {
        "aws_iam_role.patch_manager": role,
        'aws_ssm_maintenance_window.patch_manager["group1"]': window,
        'aws_ssm_maintenance_window_target.patch_manager["group1"]': target,
        'aws_ssm_maintenance_window_task.patch_task["group1"]': AutomationTask(
            stack, "Group1Task", window=window, targets=[target], document="AWS-PatchInstanceWithRollback",
            document_version="$LATEST", parameters={"InstanceId": "{{RESOURCE_ID}}"}, role=role, priority=1,
            max_concurrency=10, max_errors=5, task_name="testing-patch-manager-task-group1",
            description="Use AWS standard documents to patch the targeted instances in a controlled manner."),
        'aws_ssm_patch_baseline.patch_manager["WINDOWS"]': PatchBaseline(
            stack, "Windows", baseline_name="testing-WINDOWS-baseline", operating_system=OperatingSystem.WINDOWS,
            description="Applies SecurityUpdates, CriticalUpdates, DefinitionUpdates catagories to WINDOWS OS.",
            default_for_os=True, tags=TAGS,
            approval_rules=[ApprovalRule(filters=[
                PatchFilter(K.PRODUCT, ["*"]),
                PatchFilter(K.CLASSIFICATION, ["SecurityUpdates", "CriticalUpdates", "DefinitionUpdates"]),
                PatchFilter(K.MSRC_SEVERITY, ["*"])], approve_after_days=3, compliance_level=ComplianceLevel.CRITICAL)]),
    }

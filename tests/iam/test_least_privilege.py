"""Least privilege, checked over everything the examples and the full-feature stacks synthesize.

Every wildcard resource left in an IAM policy must be one AWS requires; each allowed pattern
is listed here with the reason (and documented next to the code that writes it).
"""

from __future__ import annotations

import json

import re

import pytest
from aws_cdk import Stack

from examples import app as example_app
from mw_constructs._internal.nag import render_intrinsics as _render
from tests.support.apps import new_app
from tests.support.kitchen_sink import kitchen_sink

# (actions, wildcard resource pattern, why AWS requires it)
ALLOWED_WILDCARDS = [
    ({"ssm:CancelCommand", "ssm:GetCommandInvocation", "ssm:ListCommandInvocations", "ssm:ListCommands",
      "resource-groups:ListGroups", "tag:GetResources", "logs:DescribeLogGroups", "ssm:DescribePatchBaselines"},
     r"\*", "these actions support no resource-level permissions"),
    ({"resource-groups:ListGroupResources"}, r".*:resource-groups:.*:group/\*",
     "the group a target names is resolved by SSM at run time"),
    ({"ssm:SendCommand"}, r".*:(ec2:.*:instance|ssm:.*:managed-instance)/\*",
     "commands go to whichever instances the window's targets resolve to at run time"),
    ({"s3:PutObject", "s3:PutObjectAcl"}, r".*/[^*]*\*", "one output object per command invocation under the prefix"),
    ({"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}, r".*(:log-group:.*:\*|<.*\.Arn>)",
     "one log stream per command invocation in the output log group"),
    ({"ssm:StartAutomationExecution"}, r"arn:<AWS::Partition>:ssm:<AWS::Region>:(\*|<AWS::AccountId>):automation-definition/[^*]+:\*",
     "any version of one named runbook; AWS-owned runbooks in any account, as AWS does not say which one IAM sees"),
    ({"ssm:GetAutomationExecution"}, r".*:ssm:.*:automation-execution/\*", "execution IDs exist only once the window runs"),
    ({"ec2:CreateImage", "ec2:StopInstances", "ec2:StartInstances"},
     r"arn:<AWS::Partition>:ec2:<AWS::Region>:(<AWS::AccountId>:instance|:image|:snapshot)/\*",
     "AWS-owned runbooks act on whichever instance each target resolves to at run time"),
    ({"ec2:DescribeImages", "ec2:DescribeInstanceStatus"}, r"\*", "Describe actions take no resource-level permission"),
    ({"logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery",
      "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"}, r"\*",
     "the example's state machine (aws-cdk-lib): log delivery and X-Ray actions take no resource-level permission"),
    ({"states:DescribeExecution"}, r".*:states:.*:execution:[^*:]+:\*",
     "the executions of one named state machine; their names are chosen when the window runs"),
]
ALLOWED_AWS_MANAGED_POLICIES = {
    "AmazonSSMManagedInstanceCore": "ManagedInstanceRole: AWS's documented minimum for the SSM Agent (issue 4)",
    "service-role/AWSLambdaBasicExecutionRole": "aws-cdk-lib's AwsCustomResource provider function",
}


def templates():
    app = new_app()
    example_app.build(app)
    kitchen_sink(Stack(app, "KitchenSink"))
    return {stack.stack_name: stack.template for stack in app.synth().stacks}


TEMPLATES = templates()


def statements():
    for stack, template in TEMPLATES.items():
        for logical_id, resource in template["Resources"].items():
            properties = resource.get("Properties", {})
            documents = []
            if resource["Type"] == "AWS::IAM::Role":
                documents = [p["PolicyDocument"] for p in properties.get("Policies", [])]
            elif resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                documents = [properties["PolicyDocument"]]
            for document in documents:
                for statement in document["Statement"]:
                    yield f"{stack}/{logical_id}", statement


def as_list(value):
    return value if isinstance(value, list) else [value]


def test_the_audit_sees_the_policies():
    assert len(list(statements())) > 20


@pytest.mark.parametrize("stack", sorted(TEMPLATES))
def test_no_aws_managed_policy_except_the_documented_ones(stack):
    for logical_id, resource in TEMPLATES[stack]["Resources"].items():
        for arn in resource.get("Properties", {}).get("ManagedPolicyArns", []):
            rendered = _render(arn)
            if ":iam::aws:policy/" in rendered:
                name = rendered.split(":iam::aws:policy/")[1]
                assert name in ALLOWED_AWS_MANAGED_POLICIES, f"{stack}/{logical_id} attaches AWS managed {name}"


def test_maintenance_window_roles_have_no_aws_managed_policy():
    for stack, template in TEMPLATES.items():
        for logical_id, resource in template["Resources"].items():
            if resource["Type"] == "AWS::IAM::Role" and "maintenance window tasks" in resource["Properties"].get("Description", ""):
                assert "ManagedPolicyArns" not in resource["Properties"], f"{stack}/{logical_id}"


def test_every_pass_role_is_scoped_and_conditioned():
    found = 0
    for where, statement in statements():
        if any(action in ("iam:PassRole", "iam:*", "*") for action in as_list(statement["Action"])):
            found += 1
            assert "*" not in as_list(statement["Resource"]), f"{where}: iam:PassRole on '*'"
            assert statement.get("Condition", {}).get("StringEquals", {}).get("iam:PassedToService") == "ssm.amazonaws.com", where
    assert found >= 3


def test_every_wildcard_resource_is_one_aws_requires():
    for where, statement in statements():
        actions = set(as_list(statement["Action"]))
        for resource in as_list(statement["Resource"]):
            rendered = _render(resource)
            if "*" not in rendered:
                continue
            allowed = [reason for allowed_actions, pattern, reason in ALLOWED_WILDCARDS
                       if actions <= allowed_actions and re.fullmatch(pattern, rendered)]
            assert allowed, f"{where}: {sorted(actions)} on {rendered} is not a wildcard AWS requires"


def test_each_new_task_kind_is_granted_exactly_its_function_state_machine_or_runbook():
    """The runbook example's window role: one function, one state machine, one runbook."""
    template = TEMPLATES["PatchingRunbook"]
    policy = next(r for k, r in template["Resources"].items()
                  if r["Type"] == "AWS::IAM::ManagedPolicy" and k.startswith("AppWindowRolePolicy"))
    by_sid = {st["Sid"]: st for st in policy["Properties"]["PolicyDocument"]["Statement"]}
    function_id = next(k for k, r in template["Resources"].items()
                       if r["Type"] == "AWS::Lambda::Function" and k.startswith("PreCheckFunction"))
    machine_id = next(k for k, r in template["Resources"].items() if r["Type"] == "AWS::StepFunctions::StateMachine")
    assert by_sid["InvokeFunctions"]["Resource"] == {"Fn::GetAtt": [function_id, "Arn"]}
    assert by_sid["StartStateMachines"]["Resource"] == {"Ref": machine_id}
    assert _render(by_sid["TrackStateMachineExecutions"]["Resource"]).endswith(f":execution:<{machine_id}.Name>:*")
    assert _render(by_sid["StartAutomations"]["Resource"]).endswith(":*:automation-definition/AWS-CreateImage:*")
    assert as_list(by_sid["RunbookCreateImages"]["Action"]) == ["ec2:CreateImage"]
    send = [_render(r) for r in as_list(by_sid["RunCommandOnInstances"]["Resource"])]
    assert [r for r in send if ":document/" in r] == ["arn:<AWS::Partition>:ssm:<AWS::Region>::document/AWS-RunShellScript",
                                                        "arn:<AWS::Partition>:ssm:<AWS::Region>::document/AWS-RunPatchBaseline"]


def test_no_action_wildcards():
    for where, statement in statements():
        assert not [a for a in as_list(statement["Action"]) if "*" in a], where


def resource_policy_statements():
    """Every Allow statement of a bucket, topic or key policy whose principal is an AWS service."""
    documents = {"AWS::S3::BucketPolicy": "PolicyDocument", "AWS::SNS::TopicPolicy": "PolicyDocument", "AWS::KMS::Key": "KeyPolicy"}
    for stack, template in TEMPLATES.items():
        for logical_id, resource in template["Resources"].items():
            key = documents.get(resource["Type"])
            for statement in resource.get("Properties", {}).get(key, {}).get("Statement", []) if key else []:
                service = statement.get("Principal", {}).get("Service") if isinstance(statement.get("Principal"), dict) else None
                if statement["Effect"] == "Allow" and service:
                    yield f"{stack}/{logical_id}", resource["Type"], _render(service), statement


# What each AWS service may do through a resource policy, and why.
SERVICE_GRANTS = {
    ("events.amazonaws.com", "AWS::SNS::TopicPolicy"): {"sns:Publish"},  # PatchingAlerts' rules publish alerts
    ("events.amazonaws.com", "AWS::KMS::Key"): {"kms:Decrypt", "kms:GenerateDataKey*"},  # ... to the encrypted topic
    ("ssm.amazonaws.com", "AWS::S3::BucketPolicy"): {"s3:GetBucketAcl", "s3:PutObject"},  # the compliance data sync
    ("ssm.amazonaws.com", "AWS::KMS::Key"): {"kms:GenerateDataKey"},  # ... into the KMS-encrypted bucket
    ("logging.s3.amazonaws.com", "AWS::S3::BucketPolicy"): {"s3:PutObject"},  # server access logs
    ("logs.<AWS::Region>.amazonaws.com", "AWS::KMS::Key"): {"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                                                            "kms:GenerateDataKey*", "kms:Describe*"},  # output logs
}


def test_services_get_only_what_their_delivery_needs_in_resource_policies():
    seen = set()
    for where, resource_type, service, statement in resource_policy_statements():
        allowed = SERVICE_GRANTS.get((service, resource_type))
        assert allowed is not None, f"{where}: {service} is granted {statement['Action']} in a {resource_type}"
        assert set(as_list(statement["Action"])) <= allowed, where
        seen.add((service, resource_type))
        if service == "ssm.amazonaws.com" and statement["Action"] == "s3:PutObject":
            assert _render(statement["Resource"]).endswith("/patch-compliance/*/accountid=<AWS::AccountId>/*"), where
            assert statement["Condition"]["StringEquals"] == {"s3:x-amz-acl": "bucket-owner-full-control",
                                                              "aws:SourceAccount": {"Ref": "AWS::AccountId"}}
            assert _render(statement["Condition"]["ArnLike"]["aws:SourceArn"]) == (
                "arn:<AWS::Partition>:ssm:*:<AWS::AccountId>:resource-data-sync/*")
        if service == "ssm.amazonaws.com" and resource_type == "AWS::KMS::Key":
            assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}, where
    assert seen == set(SERVICE_GRANTS)


def test_the_window_disabler_may_update_exactly_the_disabled_window():
    template = TEMPLATES["PatchingRunbook"]
    (policy,) = [r for k, r in template["Resources"].items() if k.startswith("MaintenanceWindowDisablerPolicy")]
    by_sid = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}
    assert set(by_sid) == {"WriteOwnLogs"}
    log_group = next(k for k in template["Resources"] if k.startswith("MaintenanceWindowDisablerLogs"))
    assert by_sid["WriteOwnLogs"]["Resource"] == {"Fn::GetAtt": [log_group, "Arn"]}
    window_id = next(k for k, r in template["Resources"].items() if r["Type"] == "AWS::SSM::MaintenanceWindow")
    (grant,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Policy"
                and "UpdateMaintenanceWindow" in json.dumps(r["Properties"]["PolicyDocument"])]
    (statement,) = grant["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ssm:UpdateMaintenanceWindow"
    assert [_render(r) for r in as_list(statement["Resource"])] == [
        f"arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:maintenancewindow/<{window_id}>"]
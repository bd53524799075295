"""PatchingAlerts, PatchCompliance and enabled=False: templates, event patterns checked with
moto's EventBridge pattern matcher against AWS's own example events, errors, and the
acknowledgments each construct needs."""

from __future__ import annotations

import copy
import json

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Annotations, Match

from mw_constructs import (
    InvocationStatus,
    PatchCompliance,
    PatchingAlerts,
    PatchingWindow,
    TaskExecutionStatus,
    WindowExecutionStatus,
)
from tests.support.apps import (
    cfn_lint_findings,
    failed_rules,
    new_app,
    raises_code,
    resources_of_type,
    template_of,
)
from tests.support.apps import sunday_window as window
from tests.support.aws_events import (
    COMPLIANCE_EVENT,
    EXECUTION_EVENT,
    INVOCATION_EVENT,
    TASK_EVENT,
    WINDOW_ID,
    concrete,
    matches,
    with_detail,
)


def rules_by_detail_type(template):
    return {rule["Properties"]["EventPattern"]["detail-type"][0]: rule["Properties"]
            for rule in resources_of_type(template, "AWS::Events::Rule").values()}


# ------------------------------------------------------------------ PatchingAlerts


def test_alerts_cover_every_window_of_the_stack_with_aws_example_events(stack):
    first = window(stack, "First")
    alerts = PatchingAlerts(stack, "Alerts")
    window(stack, "Later")  # created after the alerts: covered too
    template = template_of(stack)
    rules = resources_of_type(template, "AWS::Events::Rule")
    assert len(rules) == 6 and set(alerts.rules) == {"Test/First", "Test/Later"}
    first_id = stack.resolve(first.window_id)["Ref"]
    mine = {rule["Properties"]["EventPattern"]["detail-type"][0]: concrete(rule["Properties"]["EventPattern"], {first_id: WINDOW_ID})
            for rule in rules.values() if {"Ref": first_id} in rule["Properties"]["EventPattern"]["detail"]["window-id"]}
    execution, task, invocation = (mine[e["detail-type"]] for e in (EXECUTION_EVENT, TASK_EVENT, INVOCATION_EVENT))
    assert matches(execution, EXECUTION_EVENT) and matches(task, TASK_EVENT) and matches(invocation, INVOCATION_EVENT)
    for status in ("FAILED", "TIMED_OUT", "CANCELLED", "SKIPPED_OVERLAPPING"):
        assert matches(execution, with_detail(EXECUTION_EVENT, status=status))
    for status in ("SUCCESS", "IN_PROGRESS", "PENDING", "CANCELLING"):
        assert not matches(execution, with_detail(EXECUTION_EVENT, status=status))
    assert not matches(task, with_detail(TASK_EVENT, status="CANCELLED"))  # task CANCELLED is not alerted by default
    assert not matches(invocation, with_detail(INVOCATION_EVENT, status="COMPLETE"))
    assert not matches(execution, with_detail(EXECUTION_EVENT, window_id="mw-0123456789abcdef0"))  # another window
    assert not matches(execution, TASK_EVENT) and not matches(task, EXECUTION_EVENT)
    assert cfn_lint_findings(template.to_json()) == []


def test_alert_message_names_window_status_execution_and_console_link(stack):
    w = window(stack, window_name="prod-patching")
    PatchingAlerts(stack, "Alerts", windows=[w], statuses=[WindowExecutionStatus.FAILED])
    (rule,) = resources_of_type(template_of(stack), "AWS::Events::Rule").values()
    transformer = rule["Properties"]["Targets"][0]["InputTransformer"]
    assert transformer["InputPathsMap"] == {"detail-window-id": "$.detail.window-id", "account": "$.account",
                                            "region": "$.region", "detail-window-execution-id": "$.detail.window-execution-id",
                                            "detail-status": "$.detail.status"}
    assert json.loads(transformer["InputTemplate"]) == (
        "Maintenance window prod-patching (<detail-window-id>) in <account>/<region>: execution "
        "<detail-window-execution-id> is <detail-status>. History: https://<region>.console.aws.amazon.com/"
        "systems-manager/maintenance-windows/<detail-window-id>/history?region=<region>")


def test_alerts_topic_is_kms_encrypted_and_eventbridge_may_publish(stack):
    window(stack)
    PatchingAlerts(stack, "Alerts")
    template = template_of(stack).to_json()
    (topic,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SNS::Topic"]
    key_id = topic["Properties"]["KmsMasterKeyId"]["Fn::GetAtt"][0]
    key = template["Resources"][key_id]["Properties"]
    assert key["EnableKeyRotation"] is True
    conditions = {
        "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
        "ArnLike": {"aws:SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":events:",
                                                        {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":rule/*"]]}},
    }
    events_statements = [s for s in key["KeyPolicy"]["Statement"] if s["Principal"] == {"Service": "events.amazonaws.com"}]
    assert events_statements == [{"Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Effect": "Allow", "Condition": conditions,
                                  "Principal": {"Service": "events.amazonaws.com"}, "Resource": "*"}]
    (policy,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SNS::TopicPolicy"]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    publish = [s for s in statements if s.get("Principal") == {"Service": "events.amazonaws.com"}]
    assert len(publish) == 1 and publish[0]["Action"] == "sns:Publish" and publish[0]["Condition"] == conditions
    assert any(s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements)


def test_fails_when_a_service_principal_may_act_without_confused_deputy_conditions():
    """Issue 21: every resource policy statement the library writes for a service principal
    names the account (and, where the service sets it, the source ARN) it acts for."""
    from mw_constructs import PatchCompliance, PatchGroupTarget, PatchOperation, RunPatchBaselineTask, TaskOutput

    app = new_app()
    stack = Stack(app, "Everything")
    w = window(stack)
    alerts = PatchingAlerts(stack, "Alerts", alarm=True)
    PatchCompliance(stack, "Compliance", alert_topic=alerts.topic)
    target = PatchGroupTarget(stack, "Web", window=w, patch_group="web")
    RunPatchBaselineTask(stack, "Install", window=w, targets=[target], operation=PatchOperation.INSTALL,
                         max_concurrency="10%", max_errors="1", output=TaskOutput.cloud_watch(),
                         timeout=Duration.hours(1))
    template = app.synth().get_stack_by_name("Everything").template
    documents = []
    for resource in template["Resources"].values():
        properties = resource.get("Properties") or {}
        for key in ("KeyPolicy", "PolicyDocument"):
            if resource["Type"] in ("AWS::KMS::Key", "AWS::SNS::TopicPolicy", "AWS::S3::BucketPolicy") and key in properties:
                documents.append((resource["Type"], properties[key]))
    checked = 0
    for kind, document in documents:
        for statement in document["Statement"]:
            service = (statement.get("Principal") or {}).get("Service") if isinstance(statement.get("Principal"), dict) else None
            if statement["Effect"] != "Allow" or service is None:
                continue
            if statement["Action"] == "s3:GetBucketAcl":
                # The bucket-owner check resource data sync makes before it writes: AWS's documented
                # policy leaves it unconditioned and it reveals only the ACL, so it stays as documented.
                continue
            checked += 1
            condition = json.dumps(statement.get("Condition") or {})
            assert any(word in condition for word in ("aws:SourceAccount", "aws:SourceArn", "kms:EncryptionContext")), \
                (kind, statement)
    assert checked >= 4  # topic, topic key, logs key, compliance bucket


def test_alerts_use_a_given_topic_and_imported_windows(stack):
    topic = sns.Topic(stack, "Mine")
    imported = PatchingWindow.from_window_id(stack, "Imported", "mw-0123456789abcdef0")
    alerts = PatchingAlerts(stack, "Alerts", topic=topic, windows=[imported],
                            statuses=[TaskExecutionStatus.FAILED, InvocationStatus.COMPLETE])
    assert alerts.topic is topic
    template = template_of(stack)
    template.resource_count_is("AWS::SNS::Topic", 1)
    template.resource_count_is("AWS::KMS::Key", 0)
    rules = rules_by_detail_type(template)
    assert set(rules) == {TASK_EVENT["detail-type"], INVOCATION_EVENT["detail-type"]}
    invocation = rules[INVOCATION_EVENT["detail-type"]]["EventPattern"]
    assert invocation["detail"] == {"window-id": ["mw-0123456789abcdef0"], "status": ["COMPLETE"]}
    assert matches(concrete(invocation, {}), with_detail(INVOCATION_EVENT, window_id="mw-0123456789abcdef0", status="COMPLETE"))
    assert "Maintenance window mw-0123456789abcdef0 (" in json.dumps(rules[TASK_EVENT["detail-type"]]["Targets"])


def test_alarm_per_window_sums_matched_events_of_its_rules(stack):
    window(stack)
    pager = sns.Topic(stack, "Pager")
    alerts = PatchingAlerts(stack, "Alerts", alarm=True, alarm_actions=[cw_actions.SnsAction(pager)],
                            alarm_period=Duration.minutes(10))
    template = template_of(stack)
    (alarm,) = resources_of_type(template, "AWS::CloudWatch::Alarm").values()
    props = alarm["Properties"]
    assert props["AlarmActions"] == [{"Ref": stack.get_logical_id(pager.node.default_child)}]
    expression, *metrics = props["Metrics"]
    assert expression["Expression"] == "m0 + m1 + m2"
    assert {m["MetricStat"]["Metric"]["MetricName"] for m in metrics} == {"MatchedEvents"}
    assert {m["MetricStat"]["Period"] for m in metrics} == {600}
    rule_refs = {json.dumps(m["MetricStat"]["Metric"]["Dimensions"][0]["Value"]) for m in metrics}
    assert rule_refs == {json.dumps({"Ref": stack.get_logical_id(r.node.default_child)}) for r in alerts.rules["Test/Window"]}
    assert props["TreatMissingData"] == "notBreaching" and props["Threshold"] == 1


@pytest.mark.parametrize("kwargs, code", [
    (dict(windows=[]), "InvalidType"),
    (dict(windows="Window"), "InvalidType"),
    (dict(windows=["mw-0123456789abcdef0"]), "InvalidType"),
    (dict(statuses=[]), "InvalidType"),
    (dict(statuses=["FAILED"]), "InvalidType"),
    (dict(statuses=WindowExecutionStatus.FAILED), "InvalidType"),
    (dict(topic="arn:aws:sns:eu-west-1:123456789012:alerts"), "InvalidType"),
    (dict(alarm="yes"), "InvalidType"),
])
def test_fails_when_alert_options_are_invalid(stack, kwargs, code):
    window(stack)
    with raises_code(code):
        PatchingAlerts(stack, "Alerts", **kwargs)


def test_fails_when_alarm_options_are_inconsistent(stack):
    topic = sns.Topic(stack, "T")
    with raises_code("InvalidAlarm") as error:
        PatchingAlerts(stack, "A1", alarm_actions=[cw_actions.SnsAction(topic)])
    assert "alarm=True" in str(error.value)
    with raises_code("InvalidAlarm"):
        PatchingAlerts(stack, "A2", alarm=True, alarm_period=Duration.seconds(90))
    with raises_code("InvalidAlarm"):
        PatchingAlerts(stack, "A3", alarm=True, alarm_actions=["pager"])


def test_a_window_listed_twice_is_watched_once_with_a_warning(stack):
    w = window(stack)
    alerts = PatchingAlerts(stack, "Alerts", windows=[w, w], statuses=[WindowExecutionStatus.FAILED] * 2)
    assert len(alerts.rules) == 1
    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp("mw-constructs:DuplicateValue"))
    assert sorted(m.entry.data.split(" lists")[0] for m in found) == ["statuses", "windows"]


# ------------------------------------------------------------------ PatchCompliance


def test_compliance_rule_data_sync_and_protected_bucket(stack):
    compliance = PatchCompliance(stack, "Compliance")
    template = template_of(stack)
    (rule,) = resources_of_type(template, "AWS::Config::ConfigRule").values()
    assert rule["Properties"]["Source"] == {"Owner": "AWS", "SourceIdentifier": "EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK"}
    assert rule["Properties"]["Scope"] == {"ComplianceResourceTypes": ["AWS::SSM::PatchCompliance"]}
    (sync,) = resources_of_type(template, "AWS::SSM::ResourceDataSync").values()
    destination = sync["Properties"]["S3Destination"]
    bucket_id = stack.get_logical_id(compliance.bucket.node.default_child)
    key_id = stack.get_logical_id(compliance.encryption_key.node.default_child)
    assert destination == {"BucketName": {"Ref": bucket_id}, "BucketPrefix": "patch-compliance",
                           "BucketRegion": {"Ref": "AWS::Region"}, "KMSKeyArn": {"Fn::GetAtt": [key_id, "Arn"]},
                           "SyncFormat": "JsonSerDe"}
    assert len(sync["Properties"]["SyncName"]) <= 64
    bucket = template.to_json()["Resources"][bucket_id]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]}, "SSEAlgorithm": "aws:kms"}
    assert "LoggingConfiguration" in bucket and bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    policy = next(r for r in resources_of_type(template, "AWS::S3::BucketPolicy").values()
                  if r["Properties"]["Bucket"] == {"Ref": bucket_id})
    ssm_statements = {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"] if "Sid" in s}
    write = ssm_statements["SystemsManagerWritesSync"]
    assert write["Principal"] == {"Service": "ssm.amazonaws.com"} and write["Action"] == "s3:PutObject"
    assert write["Condition"]["StringEquals"]["s3:x-amz-acl"] == "bucket-owner-full-control"
    assert "/patch-compliance/*/accountid=" in json.dumps(write["Resource"])
    assert ssm_statements["SystemsManagerChecksBucket"]["Action"] == "s3:GetBucketAcl"
    assert sync["DependsOn"] == [stack.get_logical_id(compliance.bucket.policy.node.default_child)]
    assert cfn_lint_findings(template.to_json()) == []


def test_compliance_rule_scoped_by_tag_and_alert_on_non_compliant(stack):
    topic = sns.Topic(stack, "Alerts")
    compliance = PatchCompliance(stack, "Compliance", tag_key="Patch Group", tag_value="prod-fleet",
                                 config_rule_name="patch-compliance", alert_topic=topic)
    template = template_of(stack)
    (rule,) = resources_of_type(template, "AWS::Config::ConfigRule").values()
    assert rule["Properties"]["Scope"] == {"TagKey": "Patch Group", "TagValue": "prod-fleet"}
    (alert,) = resources_of_type(template, "AWS::Events::Rule").values()
    pattern = concrete(alert["Properties"]["EventPattern"], {stack.get_logical_id(compliance.rule.node.default_child): "patch-compliance"})
    assert matches(pattern, COMPLIANCE_EVENT)
    compliant = copy.deepcopy(COMPLIANCE_EVENT)
    compliant["detail"]["newEvaluationResult"]["complianceType"] = "COMPLIANT"
    assert not matches(pattern, compliant)
    other_rule = copy.deepcopy(COMPLIANCE_EVENT)
    other_rule["detail"]["configRuleName"] = "some-other-rule"
    assert not matches(pattern, other_rule)
    assert "is NON_COMPLIANT" in alert["Properties"]["Targets"][0]["InputTransformer"]["InputTemplate"]


def test_compliance_uses_a_given_bucket_and_key(stack):
    bucket = s3.Bucket(stack, "Reports")
    PatchCompliance(stack, "Compliance", bucket=bucket, prefix="fleet/compliance", sync_name="fleet-compliance")
    template = template_of(stack)
    template.resource_count_is("AWS::S3::Bucket", 1)
    template.resource_count_is("AWS::KMS::Key", 0)
    (sync,) = resources_of_type(template, "AWS::SSM::ResourceDataSync").values()
    assert sync["Properties"]["SyncName"] == "fleet-compliance" and "KMSKeyArn" not in sync["Properties"]["S3Destination"]


@pytest.mark.parametrize("kwargs, code", [
    (dict(tag_value="prod"), "InvalidTag"),
    (dict(tag_key=""), "InvalidTag"),
    (dict(tag_key="k" * 129), "InvalidTag"),
    (dict(prefix="/compliance"), "InvalidS3KeyPrefix"),
    (dict(prefix="compliance/"), "InvalidS3KeyPrefix"),
    (dict(prefix="p" * 257), "InvalidS3KeyPrefix"),
    (dict(sync_name="s" * 65), "InvalidName"),
    (dict(config_rule_name="bad\x07name"), "InvalidName"),
    (dict(bucket="my-bucket"), "InvalidType"),
    (dict(alert_topic="arn:aws:sns:eu-west-1:123456789012:t"), "InvalidType"),
])
def test_fails_when_compliance_options_are_invalid(stack, kwargs, code):
    with raises_code(code):
        PatchCompliance(stack, "Compliance", **kwargs)


def test_fails_when_an_encryption_key_comes_without_its_bucket(stack):
    from aws_cdk import aws_kms as kms

    with raises_code("InvalidType") as error:
        PatchCompliance(stack, "Compliance", encryption_key=kms.Key(stack, "K"))
    assert "give bucket too" in str(error.value)


# ------------------------------------------------------------------ acknowledgments


def test_each_acknowledgment_of_the_new_constructs_is_needed(monkeypatch):
    """Without their acknowledgments, NIST/HIPAA/PCI report exactly the rules they name."""
    from mw_constructs import alerts
    from mw_constructs._internal import buckets, handlers

    skipped = []
    for module in (alerts, handlers, buckets):
        monkeypatch.setattr(module, "acknowledge_in_compliance_packs",
                            lambda scope, rule, reason: skipped.append(rule))
    app = new_app(packs=True)
    stack = Stack(app, "Gate")
    window(stack, enabled=False)
    PatchingAlerts(stack, "Alerts", alarm=True)
    PatchCompliance(stack, "Compliance")
    with pytest.raises(Exception) as info:
        app.synth()
    failed = failed_rules(info.value)
    reported = {rule for rule in set(skipped) if any(name.split("[")[0].endswith(f"-{rule}") for name in failed)}
    assert reported == set(skipped) == {"LambdaDLQ", "LambdaConcurrency", "LambdaInsideVPC", "CloudWatchLogGroupEncrypted",
                                        "IAMNoInlinePolicy", "CloudWatchAlarmAction", "S3DefaultEncryptionKMS",
                                        "S3BucketReplicationEnabled"}


def test_the_new_constructs_pass_all_four_packs_and_cfn_lint():
    app = new_app(packs=True)
    stack = Stack(app, "Gate")
    window(stack, enabled=False)
    alerts = PatchingAlerts(stack, "Alerts", alarm=True)
    PatchCompliance(stack, "Compliance", alert_topic=alerts.topic)
    template = app.synth().get_stack_by_name("Gate").template  # any unacknowledged finding fails synthesis
    assert cfn_lint_findings(template) == []

"""``PatchCompliance``: is every instance patched? AWS Config's managed rule
``EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK`` evaluates Patch Manager's compliance
data, a resource data sync copies compliance and inventory data to S3 for reporting
(Athena, QuickSight), and an optional EventBridge rule alerts when an instance turns
NON_COMPLIANT.

AWS Config must already be recording in the account and Region (a configuration recorder and
a delivery channel, e.g. from your landing zone); this construct never creates a recorder,
which is account-wide and usually owned by a security team. Without one, CloudFormation fails
to create the rule (``NoAvailableConfigurationRecorder``).

AWS references: https://docs.aws.amazon.com/config/latest/developerguide/ec2-managedinstance-patch-compliance-status-check.html,
https://docs.aws.amazon.com/systems-manager/latest/userguide/inventory-create-resource-data-sync.html
"""

from __future__ import annotations

from typing import Optional

from aws_cdk import Duration, Names, RemovalPolicy, Stack
from aws_cdk import aws_config as config
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from ._internal import iam_types
from ._internal.event_rules import topic_target
from ._internal.buckets import protected_bucket
from ._internal.scopes import create_in
from ._internal.tokens import is_token
from ._internal.validate import check_interface, check_no_control_characters, check_text, fail, quote
from ._internal.signatures import truthful_signature

__all__ = ["PatchCompliance", "COMPLIANCE_RETENTION"]

#: How long the created bucket keeps synced compliance and inventory files.
COMPLIANCE_RETENTION = Duration.days(400)
_SSM = "ssm.amazonaws.com"


@truthful_signature
class PatchCompliance(Construct):
    """Patch compliance for a whole account and Region: a Config rule, a data sync to S3 and
    (optionally) an alert on NON_COMPLIANT.

    Args:
        tag_key: scope the Config rule to resources with this tag key. Default: every
            ``AWS::SSM::PatchCompliance`` resource.
        tag_value: with ``tag_key``, only this value (without one, any value matches).
        config_rule_name: default generated from the construct path.
        bucket: an ``s3.IBucket`` for the data sync. Default: a bucket created here (public
            access blocked, TLS only, SSE-KMS with a rotated customer managed key SSM may use,
            versioned, access-logged, files kept 400 days, retained on stack deletion). A bucket
            you give gets the bucket policy SSM needs if it is in this stack; otherwise add it.
        encryption_key: the KMS key of your ``bucket``, if it uses one; its key policy must let
            ``ssm.amazonaws.com`` call ``kms:GenerateDataKey``.
        prefix: the key prefix of the synced files (default ``patch-compliance``).
        sync_name: 1-64 characters, unique in the account and Region (default generated).
        alert_topic: an ``sns.ITopic`` to tell when an instance turns NON_COMPLIANT (e.g.
            ``PatchingAlerts(...).topic``). Default: no alert.

    Attributes:
        rule: the ``config.ManagedRule``.
        data_sync: the ``ssm.CfnResourceDataSync``.
        bucket: the bucket the data sync writes to.
        encryption_key: its KMS key, or None.
        alert_rule: the ``events.Rule`` of the alert, or None.
    """

    def __init__(self, scope: Construct, id: str, *, tag_key: Optional[str] = None, tag_value: Optional[str] = None,
                 config_rule_name: Optional[str] = None, bucket: Optional[aws_s3.IBucket] = None,
                 encryption_key: Optional[kms.IKey] = None, prefix: str = "patch-compliance",
                 sync_name: Optional[str] = None, alert_topic: Optional[sns.ITopic] = None) -> None:
        if tag_value is not None and tag_key is None:
            fail("InvalidTag", f"tag_value {quote(tag_value)} needs a tag_key: give tag_key='Patch Group' (for example) too.")
        check_text("tag_key", tag_key, 1, 128, "InvalidTag")
        check_text("tag_value", tag_value, 1, 256, "InvalidTag")
        check_text("config_rule_name", config_rule_name, 1, 128, "InvalidName")
        check_no_control_characters("config_rule_name", config_rule_name, "InvalidName")
        if bucket is not None:
            check_interface("bucket", bucket, ("bucket_name", "bucket_arn", "add_to_resource_policy"), "an s3.IBucket")
        if encryption_key is not None:
            check_interface("encryption_key", encryption_key, ("key_arn",), "a kms.IKey")
            if bucket is None:
                fail("InvalidType", "encryption_key is the key of a bucket you give: give bucket too, or leave both out "
                                    "(the created bucket gets its own key).")
        if prefix is None or not isinstance(prefix, str):
            fail("InvalidS3KeyPrefix", f"prefix must be the key prefix of the synced files, 1-256 characters: got "
                                       f"{quote(prefix)}.")
        check_text("prefix", prefix, 1, 256, "InvalidS3KeyPrefix")
        check_no_control_characters("prefix", prefix, "InvalidS3KeyPrefix")
        if not is_token(prefix) and (prefix.startswith("/") or prefix.endswith("/")):
            fail("InvalidS3KeyPrefix", f"prefix must not start or end with '/': got {quote(prefix)}; "
                                       f"write e.g. 'patch-compliance'.")
        check_text("sync_name", sync_name, 1, 64, "InvalidName")
        check_no_control_characters("sync_name", sync_name, "InvalidName")
        if alert_topic is not None:
            check_interface("alert_topic", alert_topic, ("topic_arn",), "an sns.ITopic")
        create_in(scope, id, "PatchCompliance", lambda: super(PatchCompliance, self).__init__(scope, id))
        stack = Stack.of(self)

        self.rule = config.ManagedRule(
            self, "Rule", identifier=config.ManagedRuleIdentifiers.EC2_MANAGED_INSTANCE_PATCH_COMPLIANCE_STATUS_CHECK,
            config_rule_name=config_rule_name,
            description="Instances whose Patch Manager compliance is NON_COMPLIANT (mw-constructs)",
            rule_scope=(config.RuleScope.from_tag(tag_key, tag_value) if tag_key is not None
                        else config.RuleScope.from_resources([config.ResourceType.SYSTEMS_MANAGER_PATCH_COMPLIANCE])),
        )

        self.encryption_key: Optional[kms.IKey] = encryption_key
        if bucket is None:
            key = kms.Key(self, "Key", enable_key_rotation=True, removal_policy=RemovalPolicy.RETAIN,
                          description="Encrypts patch compliance and inventory data synced by SSM (mw-constructs)")
            key.add_to_resource_policy(iam.PolicyStatement(
                sid="SystemsManagerDataSync", principals=[iam_types.service(_SSM)], actions=["kms:GenerateDataKey"],
                resources=["*"],  # in a key policy, "*" is this key
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ))
            self.encryption_key = iam_types.key(key)
            bucket = protected_bucket(self, "", access_log_prefix="access-logs/", expiration=COMPLIANCE_RETENTION,
                                      what="Patch compliance data", encryption_key=self.encryption_key)
        self.bucket: aws_s3.IBucket = bucket
        # What SSM needs to write the sync files, as AWS's "Configuring resource data sync for Inventory"
        # gives it: read the bucket ACL; write under <prefix>/<type>/accountid=<this account>/ only.
        bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="SystemsManagerChecksBucket", principals=[iam_types.service(_SSM)], actions=["s3:GetBucketAcl"],
            resources=[bucket.bucket_arn],
        ))
        bucket.add_to_resource_policy(iam.PolicyStatement(
            sid="SystemsManagerWritesSync", principals=[iam_types.service(_SSM)], actions=["s3:PutObject"],
            resources=[bucket.arn_for_objects(f"{prefix}/*/accountid={stack.account}/*")],
            conditions={
                "StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": stack.account},
                "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:ssm:*:{stack.account}:resource-data-sync/*"},
            },
        ))
        self.data_sync = ssm.CfnResourceDataSync(
            self, "DataSync",
            sync_name=sync_name or Names.unique_resource_name(self, max_length=64, separator="-"),
            s3_destination=ssm.CfnResourceDataSync.S3DestinationProperty(
                bucket_name=bucket.bucket_name, bucket_region=stack.region, sync_format="JsonSerDe",
                bucket_prefix=prefix, kms_key_arn=None if self.encryption_key is None else self.encryption_key.key_arn,
            ),
        )
        if bucket.policy is not None:  # SSM checks the bucket policy when the sync is created
            self.data_sync.node.add_dependency(bucket.policy)

        self.alert_rule: Optional[events.Rule] = None
        if alert_topic is not None:
            self.alert_rule = self.rule.on_compliance_change(
                "NonCompliant", description="An instance turned NON_COMPLIANT with the patch compliance rule",
                event_pattern=events.EventPattern(detail={"newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]}}),
            )
            field = events.EventField.from_path
            self.alert_rule.add_target(topic_target(alert_topic, events.RuleTargetInput.from_text(
                f"Patch compliance: {field('$.detail.resourceId')} is NON_COMPLIANT "
                f"(rule {field('$.detail.configRuleName')}, {field('$.account')}/{field('$.region')}).")))

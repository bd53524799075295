"""The protected S3 bucket the library creates where a user gives none (task output, the
compliance data sync): all public access blocked, TLS only, SSE-KMS, versioned, bucket-owner
enforced, a lifecycle rule, retained on stack deletion, and server access logging to a second
bucket that the S3 logging service may write to."""

from __future__ import annotations

from typing import Optional

from aws_cdk import Annotations, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3
from constructs import Construct

from . import iam_types
from .nag import acknowledge, acknowledge_in_compliance_packs

__all__ = ["protected_bucket"]


def protected_bucket(scope: Construct, name: str, *, access_log_prefix: str, expiration: Duration, what: str,
                     encryption_key: Optional[kms.IKey]) -> aws_s3.Bucket:
    """Bucket ``{name}Bucket`` in ``scope`` holding ``what`` (e.g. "Command output"), its objects
    expiring after ``expiration``, encrypted with ``encryption_key`` (default: the AWS managed
    aws/s3 key); access logs go to ``{name}AccessLogs`` under ``access_log_prefix``."""
    stack = Stack.of(scope)
    access_logs = aws_s3.Bucket(
        scope, f"{name}AccessLogs",
        block_public_access=aws_s3.BlockPublicAccess.BLOCK_ALL, encryption=aws_s3.BucketEncryption.S3_MANAGED,
        enforce_ssl=True, versioned=True, object_ownership=aws_s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=[aws_s3.LifecycleRule(expiration=expiration, noncurrent_version_expiration=Duration.days(30))],
        removal_policy=RemovalPolicy.RETAIN,
    )
    acknowledge(access_logs, "AwsSolutions-S1",
                f"This bucket receives the server access logs of the {what.lower()} bucket; logging it too would loop.")
    acknowledge_in_compliance_packs(
        access_logs, "S3DefaultEncryptionKMS",
        "S3 server access logs can only be delivered to a bucket encrypted with SSE-S3 (AWS: SSE-KMS is not "
        "supported for access log target buckets)",
    )
    bucket = aws_s3.Bucket(
        scope, f"{name}Bucket",
        block_public_access=aws_s3.BlockPublicAccess.BLOCK_ALL,
        encryption=aws_s3.BucketEncryption.KMS_MANAGED if encryption_key is None else aws_s3.BucketEncryption.KMS,
        encryption_key=encryption_key, bucket_key_enabled=True,
        enforce_ssl=True, versioned=True, object_ownership=aws_s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        # Passed as a reference so aws-cdk-lib does not fall back to the legacy LogDeliveryWrite ACL;
        # the bucket policy below grants the S3 logging service instead (AWS's recommended way).
        server_access_logs_bucket=aws_s3.Bucket.from_bucket_name(scope, f"{name}AccessLogsTarget", access_logs.bucket_name),
        server_access_logs_prefix=access_log_prefix,
        lifecycle_rules=[aws_s3.LifecycleRule(
            expiration=expiration, noncurrent_version_expiration=Duration.days(30),
            abort_incomplete_multipart_upload_after=Duration.days(7),
        )],
        removal_policy=RemovalPolicy.RETAIN,
    )
    access_logs.add_to_resource_policy(iam.PolicyStatement(
        sid="S3ServerAccessLogs", principals=[iam_types.service("logging.s3.amazonaws.com")],
        actions=["s3:PutObject"], resources=[access_logs.arn_for_objects(f"{access_log_prefix}*")],
        conditions={"ArnLike": {"aws:SourceArn": bucket.bucket_arn}, "StringEquals": {"aws:SourceAccount": stack.account}},
    ))
    for target in (access_logs, bucket):
        acknowledge_in_compliance_packs(
            target, "S3BucketReplicationEnabled",
            f"{what} and its access logs are operational records kept {int(expiration.to_days())} days in the "
            "account's Region; to replicate them, pass your own replicated bucket",
        )
    Annotations.of(bucket).acknowledge_warning(
        "@aws-cdk/aws-s3:accessLogsPolicyNotAdded",
        "mw-constructs grants the S3 logging service on the access-log bucket with the bucket policy above",
    )
    return bucket

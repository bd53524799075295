"""ARNs in the deploying account and Region, built from CloudFormation pseudo parameters.

The pseudo-parameter tokens are the same in every app, so they are read from
aws-cdk-lib once per process instead of once per use (each read is a jsii call).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Tuple


@lru_cache(maxsize=1)
def _pseudo_parameters() -> Tuple[str, str, str]:
    from aws_cdk import Aws

    return Aws.PARTITION, Aws.REGION, Aws.ACCOUNT_ID


def arn_in_this_environment(service: str, resource: str, *, with_account: bool = True, any_account: bool = False) -> str:
    """``arn:<partition>:<service>:<region>:<account>:<resource>`` (account left empty, or
    ``*`` with ``any_account``, if asked)."""
    partition, region, account = _pseudo_parameters()
    return f"arn:{partition}:{service}:{region}:{'*' if any_account else account if with_account else ''}:{resource}"

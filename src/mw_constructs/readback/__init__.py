"""Reading windows back: from a synthesized cloud assembly (``assembly``: ``cdk.out``, raw
CloudFormation included) and from a deployed account (``account``: boto3, read-only). Pure
Python; the CLI shows what these read."""

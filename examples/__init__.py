"""The example apps (examples/app.py is the cdk.json app; examples/organization.py the StackSet one)."""

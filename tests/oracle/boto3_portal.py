"""boto3's `sso` client, pointed at a portal by AWS_ENDPOINT_URL_SSO: the
oracle for awsp's portal client (tests/it/portal.rs). Lists every account
and every account's roles with boto3's own paginators and prints them as
one JSON document on stdout.

usage: AWS_ENDPOINT_URL_SSO=http://127.0.0.1:PORT python boto3_portal.py TOKEN [PAGE_SIZE]
"""
import json
import sys

import boto3
import botocore.config
from botocore.exceptions import ClientError


def main():
    token = sys.argv[1]
    paging = {"PageSize": int(sys.argv[2])} if len(sys.argv) > 2 else {}
    # Standard retries: 429 TooManyRequestsException is retried with
    # jittered backoff, as the fake throttles some calls.
    config = botocore.config.Config(retries={"mode": "standard", "max_attempts": 10})
    sso = boto3.session.Session().client("sso", region_name="us-east-1", config=config)
    accounts = []
    for page in sso.get_paginator("list_accounts").paginate(
        accessToken=token, PaginationConfig=paging
    ):
        accounts.extend(page["accountList"])
    assignments, failures = [], []
    for account in accounts:
        try:
            pages = sso.get_paginator("list_account_roles").paginate(
                accessToken=token, accountId=account["accountId"], PaginationConfig=paging
            )
            for page in pages:
                assignments.extend([account["accountId"], r["roleName"]] for r in page["roleList"])
        except ClientError as e:
            failures.append([account["accountId"], e.response["Error"]["Code"]])
    print(json.dumps({
        "accounts": [[a["accountId"], a.get("accountName", ""), a.get("emailAddress", "")] for a in accounts],
        "assignments": assignments,
        "failures": failures,
    }))


if __name__ == "__main__":
    main()

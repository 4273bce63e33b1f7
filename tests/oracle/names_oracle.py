"""Prints, for every case folder under argv[1], what botocore's
Session().available_profiles is for its `config` and `credentials` files,
or "ERROR" when botocore cannot read them. One JSON object, keyed by case."""
import json
import os
import sys

import botocore.session

root = sys.argv[1]
out = {}
for name in sorted(os.listdir(root)):
    case = os.path.join(root, name)
    os.environ["AWS_CONFIG_FILE"] = os.path.join(case, "config")
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(case, "credentials")
    try:
        out[name] = botocore.session.Session().available_profiles
    except Exception:  # noqa: BLE001 - any failure is "the CLI cannot read it"
        out[name] = "ERROR"
print(json.dumps(out))

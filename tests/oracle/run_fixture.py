#!/usr/bin/env python3
"""Run the botocore oracle (and optionally the AWS CLI) on one fixture by hand.

    .venv/bin/python tests/oracle/run_fixture.py tests/fixtures/<case> [--aws /usr/bin/aws] [--keep]

Does what tests/it/differential.rs does before comparing: copies the fixture
into a temporary HOME (everything except `env` and `README` goes to
HOME/.aws/), expands {{now+5m}}-style templates (units s/m/h/d) to
YYYY-MM-DDTHH:MM:SSZ, builds a clean environment (no AWS_* variables except
AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_EC2_METADATA_DISABLED=true
and the fixture's `env` file, whose values are passed literally), then runs
the oracle and prints its JSON.
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATE = re.compile(rb"\{\{now([+-])(\d+)([smhd])\}\}")
UNITS = {b"s": 1, b"m": 60, b"h": 3600, b"d": 86400}


def expand(data, now):
    def sub(m):
        secs = int(m.group(2)) * UNITS[m.group(3)]
        if m.group(1) == b"-":
            secs = -secs
        t = now + datetime.timedelta(seconds=secs)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    return TEMPLATE.sub(sub, data)


def build_home(fixture, home):
    now = datetime.datetime.now(datetime.timezone.utc)
    aws = os.path.join(home, ".aws")
    os.makedirs(aws)
    for root, _dirs, files in os.walk(fixture):
        rel = os.path.relpath(root, fixture)
        for f in files:
            if rel == "." and f in ("env", "README"):
                continue
            dst = os.path.normpath(os.path.join(aws, rel, f))
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(os.path.join(root, f), "rb") as src:
                data = src.read()
            with open(dst, "wb") as out:
                out.write(expand(data, now))


def build_env(fixture, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.pop("BOTO_CONFIG", None)
    env["HOME"] = home
    env["AWS_CONFIG_FILE"] = os.path.join(home, ".aws", "config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.path.join(home, ".aws", "credentials")
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env_file = os.path.join(fixture, "env")
    if os.path.exists(env_file):
        with open(env_file, encoding="utf-8") as f:
            for line in f.read().splitlines():
                if line.strip():
                    k, _, v = line.partition("=")
                    env[k] = v
    return env


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fixture")
    ap.add_argument("--aws", help="also run `aws configure list-profiles` with this binary")
    ap.add_argument("--keep", action="store_true", help="keep and print the temp HOME")
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="awsp-oracle-")
    try:
        build_home(args.fixture, home)
        env = build_env(args.fixture, home)
        r = subprocess.run(
            [sys.executable, os.path.join(HERE, "botocore_oracle.py")],
            env=env, capture_output=True, text=True,
        )
        sys.stdout.write(r.stdout)
        sys.stderr.write(r.stderr)
        if args.aws:
            a = subprocess.run(
                [args.aws, "configure", "list-profiles"],
                env=env, capture_output=True, text=True,
            )
            print("--- aws configure list-profiles (rc=%d)" % a.returncode)
            sys.stdout.write(a.stdout)
            sys.stderr.write(a.stderr)
        return r.returncode
    finally:
        if args.keep:
            print("HOME kept at", home, file=sys.stderr)
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

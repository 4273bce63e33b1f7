"""Writes COUNT random fixture homes into OUT (seeded): four profiles each,
with random mixes of sso-session references, SSO keys, role_arn /
source_profile / credential_source chains, web identity, process, login and
static keys in either file, over up to three sso-sessions that may lack their
URL or region. tests/it/differential.rs checks awsp against botocore on them.

usage: random_homes.py OUT SEED COUNT
"""
import random, os, sys, shutil
random.seed(int(sys.argv[2]))
root = sys.argv[1]
shutil.rmtree(root, ignore_errors=True)
names = ["a", "b", "c", "d"]
for n in range(int(sys.argv[3])):
    d = os.path.join(root, f"r{n:03}")
    os.makedirs(d)
    cfg = []
    for s in ["s1", "s2", "s3"]:
        if random.random() < 0.7:
            cfg.append(f"[sso-session {s}]")
            if random.random() < 0.8: cfg.append("sso_start_url = https://x.awsapps.com/start")
            if random.random() < 0.8: cfg.append("sso_region = us-east-1")
            if random.random() < 0.2: cfg.append("sso_account_id = 222")
    creds = []
    for p in names:
        cfg.append(f"[profile {p}]" if p != "d" else "[default]" if random.random() < 0.5 else "[profile d]")
        keys = []
        def maybe(prob, line):
            if random.random() < prob: keys.append(line)
        maybe(0.4, "sso_session = " + random.choice(["s1", "s2", "s3", "nope", ""]))
        maybe(0.4, "sso_account_id = " + random.choice(["111", "222"]))
        maybe(0.4, "sso_role_name = R")
        maybe(0.2, "sso_start_url = https://x.awsapps.com/start")
        maybe(0.2, "sso_region = " + random.choice(["us-east-1", "eu-west-1"]))
        maybe(0.3, "role_arn = arn:aws:iam::333:role/X")
        maybe(0.3, "source_profile = " + random.choice(names + ["ghost", "default"]))
        maybe(0.1, "credential_source = " + random.choice(["Environment", "Ec2InstanceMetadata", "Bogus"]))
        maybe(0.1, "web_identity_token_file = " + random.choice(["/tmp/tok", ""]))
        maybe(0.1, "credential_process = /bin/true")
        maybe(0.05, "login_session = x")
        maybe(0.15, "aws_access_key_id = AKIA")
        maybe(0.15, "aws_secret_access_key = S")
        maybe(0.2, "region = us-west-2")
        cfg.extend(keys)
        if random.random() < 0.3:
            creds.append(f"[{p if p != 'd' else 'default'}]")
            if random.random() < 0.7: creds.append("aws_access_key_id = AKIAC")
            if random.random() < 0.7: creds.append("aws_secret_access_key = SC")
            if random.random() < 0.2: creds.append("role_arn = arn:aws:iam::444:role/Y")
    open(os.path.join(d, "config"), "w").write("\n".join(cfg) + "\n")
    if creds: open(os.path.join(d, "credentials"), "w").write("\n".join(creds) + "\n")

# Sourced by the bench scripts. `built ARGS...` runs `cargo build --quiet
# ARGS...` and prints the path of the last executable it built, taken from
# cargo's own messages: right wherever the target folder is
# (CARGO_TARGET_DIR, build.target-dir in a cargo config, --target).
#   AWSP_BIN=$(built --release --bin awsp)
built() {
  cargo build --quiet --message-format=json-render-diagnostics "$@" | python3 -c '
import json, sys
exes = [m["executable"] for m in map(json.loads, sys.stdin)
        if m.get("reason") == "compiler-artifact" and m.get("executable")]
if not exes:
    sys.exit("built: cargo built no executable")
print(exes[-1])'
}

package config

// Template is the commented configuration `iamlint init` writes. Every
// setting is shown with its default, commented out, so the file changes
// nothing until edited.
const Template = `# iamlint configuration. iamlint finds this file by walking up from the
# paths it checks (to the repository root); ` + "`iamlint check --config FILE`" + `
# names another. Paths are relative to this file's folder.

# The least severity that makes ` + "`iamlint check`" + ` exit 1:
# critical, high, medium, low or info.
# fail_on = "low"

# The date age-based rules (unused credentials, key rotation, root use)
# measure from, so that results are reproducible. Default: today.
# now = "2026-01-31"

# Files and folders to leave out (path.Match patterns, or folders).
# exclude = ["legacy", "testdata/*.json"]

# Folders of custom Rego rules (docs/custom-rules.md), run with the
# built-in ones; rule blocks and ignores below may name them.
# rules_dirs = ["policy/iamlint"]

# The kind of standalone policy files, by path: identity, resource,
# trust, boundary, scp, rcp or session. Default: inferred per file.
# policy_kinds = {
#   "org/scps" = "scp"
# }

# Rule settings, by ID, slug or glob over either ("IAM3*"); a later block
# overrides an earlier one. ` + "`iamlint rules`" + ` lists the rules.
# rule "IAM306" {
#   enabled  = false
#   severity = "low"
# }

# Suppressions for files that cannot hold an iamlint:ignore comment (JSON),
# by path and by the address findings start with. A reason is required.
# ignore {
#   rules     = ["IAM302"]
#   paths     = ["legacy/policies"]
#   addresses = []
#   reason    = "vendor policy, reviewed in SEC-123"
# }
`

# HEAD's configuration: diff runs the custom rules of rules_dirs on both
# versions, as check does.
rules_dirs = ["rules"]

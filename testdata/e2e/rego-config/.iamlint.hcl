rules_dirs = ["rules"]

rule "IAM1*" {
  enabled = false
}

rule "untagged-role" {
  severity = "low"
}

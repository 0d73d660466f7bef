# Only the rules this scenario is about run, so that the SARIF rule list
# stays short.
rule "IAM*" {
  enabled = false
}

rule "IAM000" {
  enabled = true
}

rule "IAM101" {
  enabled = true
}

rule "IAM150" {
  enabled = true
}

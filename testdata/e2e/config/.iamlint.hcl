# Configuration of the "config" scenario.
fail_on = "high"
exclude = ["legacy"]

rule "missing-version" {
  enabled = false
}

rule "IAM110" {
  severity = "low"
}

ignore {
  rules  = ["IAM111"]
  paths  = ["vendor"]
  reason = "vendor deployment policy, reviewed in SEC-12"
}

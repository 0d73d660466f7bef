fail_onn = "high"

rule "IAM9*" {
  severity = "severe"
}

ignore {
  rules  = ["IAM111"]
  reason = ""
}

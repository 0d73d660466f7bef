c = "from-b.auto.tfvars"

c = "from-a.auto.tfvars"
d = "from-a.auto.tfvars"

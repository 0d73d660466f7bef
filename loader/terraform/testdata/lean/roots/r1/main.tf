module "s" {
  source = "../shared"
  n = "r1"
}

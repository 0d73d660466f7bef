module "s" {
  source = "../shared"
  n = "r2"
}
module "s2" {
  source = "../shared"
  count = 2
  n = "r2-${count.index}"
}

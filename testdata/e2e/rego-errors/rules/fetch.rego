# METADATA
# title: Roles the CMDB does not know
# description: Asks the CMDB about every role.
# custom:
#   id: IAM961
#   severity: low
package iamlint.rules.cmdb

findings contains f if {
	some role in input.principals
	resp := http.send({"method": "GET", "url": sprintf("https://cmdb.example.com/roles/%s", [role.name])})
	resp.status_code == 404
	f := {"msg": sprintf("role %s is not in the CMDB", [role.name]), "node": role.id}
}

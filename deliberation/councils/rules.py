import rules

rules.add_perm("councils.view_council", rules.always_allow)

# Transparency: a settled month's published tree head and each reader's receipt.
error-not_settled = This month is not settled yet: nothing is published for it.
error-no_receipt = You were not charged in this month, so there is no receipt for you in it.

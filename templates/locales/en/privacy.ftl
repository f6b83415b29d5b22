## Account deletion and the privacy page (docs/PRIVACY.md).

error-revenue_left = Revenue is left on your account: pay it out or move it to your funds first.
error-funds_choice_required = Funds are left on your account: choose whether they go to the charity or to the platform.
error-invalid_funds_choice = The funds can go to the charity or to the platform only.
error-no_charity = This instance names no charity, so nothing can be given to one.
movement-account_closed = Account deleted: funds left given away

footer-privacy = Privacy: what Obole keeps
settings-delete-title = Delete your account
settings-delete-text = Your personal data is erased; the accounting entries stay, under a number that no longer names you.
settings-delete-link = Delete my account…

delete-title = Delete your account
delete-what-title = What happens
delete-what-erased = Your address, names, public page, password, linked sign-ins, tokens, sessions, bank details and pending mails are erased.
delete-what-ledger = The accounting entries and the statements of settled months stay, as accounting law requires, under your account’s number, which no longer names you.
delete-what-clicks = { $count ->
    [0] You have no click this month.
    [one] Your click of this month is undone and the month’s budget goes back to your funds first.
   *[other] Your { $count } clicks of this month are undone and the month’s budget goes back to your funds first.
}
delete-what-things = Your things ({ $things }) are hidden and your sites ({ $sites }) released: money for those pages is held for whoever proves they are theirs.
delete-what-address = Your address is free again: you may open a new account with it later.
delete-privacy-link = What Obole keeps, and why
delete-first-title = First, your money
delete-payouts-link = Your revenue and payouts
delete-proof-title = Confirm it is you
delete-log-in-again = Your account has no password: log out, log in again with your provider, then come back here within 10 minutes.
delete-log-out = Log out
delete-fresh-log-in = You logged in with your provider a moment ago: that proves it is you.
delete-password = Your password
delete-funds-legend = Your funds left ({ $amount }) go to
delete-funds-charity = the charity { $charity }
delete-funds-platform = the platform
delete-next = Continue
delete-confirm-title = Delete your account for good?
delete-summary-title = Summary
delete-summary-charity = { $amount } of funds go to the charity { $charity }.
delete-summary-platform = { $amount } of funds go to the platform.
delete-final = This cannot be undone.
delete-confirm = Delete my account
delete-cancel = Keep my account
deleted-title = Your account is deleted
deleted-text = Your personal data is erased and you are logged out. Thank you for your support.
deleted-home = Home

privacy-title = Privacy: what Obole keeps
privacy-intro = Obole keeps what it needs to move your money and show you where it went, and nothing to sell or to track you with.
privacy-held-title = What Obole holds about you
privacy-held-account = Your account: address, display name, language, password (as an Argon2id hash), the providers you sign in with, sessions and API tokens (as digests).
privacy-held-money = Your money: ledger entries (vouchers, card payments, budgets, earnings, payouts with their IBAN and holder), monthly statements.
privacy-held-clicks = Your clicks: which things, which month, by you or by a subscription; private unless you make one visible, with its note; your subscriptions; what your idle months gave the charity, if you chose so.
privacy-held-creator = As a creator: your things, your public page, your sites and their proofs.
privacy-held-mail = The mails we sent you or will send (their kind and dates).
privacy-export-title = Download it
privacy-export-text = Settings has a button that downloads everything Obole holds about your account: one zip with a JSON file and the CSV files of your funds and earnings. Programs can fetch the JSON at GET /api/v1/me/export.
privacy-delete-title = Delete your account
privacy-delete-erased = Deleting your account erases your address, names, public page, password, linked sign-ins, tokens, sessions, pending mails, the bank details of your payouts, your budget and your choices; your things are hidden and your sites released; this month’s clicks are undone.
privacy-delete-kept = The ledger’s entries and the statements of settled months are kept, under your account’s number only, which no longer leads to you: accounting law requires them, and the other people’s statements add up with them. Your handle stays reserved so that nobody can pretend to be you.
privacy-delete-funds = Revenue must be paid out or moved to your funds first; the funds left go to the charity or the platform, as you choose.
privacy-delete-link = Delete my account
privacy-how-long-title = For how long
privacy-how-long-ledger = Ledger entries and statements: for as long as accounting law requires (ten years in France), then they may be removed.
privacy-how-long-account = Your account: until you delete it. One-time links expire within a week, pending sign-ups within a day.
privacy-how-long-logs = Server logs name account numbers, not addresses, and are kept as the operator’s log rotation says (a few weeks at most is advised).

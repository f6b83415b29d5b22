## The page header: a compact bar and one menu (templates/base.html)
nav-menu = Menu
nav-menu-label = Account menu
nav-group-reader = Support
nav-group-creator = Create
nav-group-account = Account
nav-funds-budget = Funds & budget
nav-earnings-payouts = Earnings & payouts
nav-my-sites = My sites
nav-vouchers = Vouchers

## The dashboard's getting-started checklist
start-title = Getting started
start-as-reader = To tip
start-as-creator = To be tipped
start-verify = Verify your email address
start-funds = Add funds (a voucher or a card)
start-budget = Choose your monthly budget
start-thing = Add a page or a work of yours
start-site = Prove your site is yours, so tips reach you
start-button = Paste the button on your site and get a first tip
start-verification-sent = We sent a verification link to { $email } on { $at }. Open it to confirm your address; it also lets you request payouts.
start-verification-none = Your address { $email } is not verified yet. Ask for a link to confirm it.
nav-signup-short = Sign up
settlement-error-said = Reason: { $error }

## CSV exports
csv-status = Status
csv-status-paid = paid

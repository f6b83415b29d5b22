## Obole — English. Every message here must also exist in ../fr/main.ftl (a test checks).

language-name = English
site-tagline = Monthly pooled tipping for the web you value

## Navigation and layout
nav-label = Main
nav-skip = Skip to content
nav-home = Home
nav-signup = Sign up
nav-login = Log in
nav-logout = Log out
nav-dashboard = My account
nav-language = Language
footer-about = Obole is a monthly pooled tipping platform in the spirit of the original Flattr.

## Home page
home-title = Give a little, every month, to what you value
home-lead = Obole lets you support the writers, podcasters, developers and artists whose work you enjoy, without a subscription to each of them. You set one monthly budget; your clicks decide where it goes.
home-how-title = How it works
home-step-fund = Fund your wallet with a voucher or a card.
home-step-budget = Choose a monthly budget, from { $minimum } upwards.
home-step-click = Click the Obole button on pages you value. Each click is one share of your month.
home-step-settle = When the month ends, your budget is split equally among everything you clicked, to the cent, and creators are paid.
home-example-title = An example
home-example = With a budget of { $budget } and 4 clicks this month, each creator receives { $quarter }. With 8 clicks, { $eighth } each. You never pay more than your budget, and nothing in a month without clicks.
home-readers-title = For readers
home-readers-text = You always know where your money goes: every click is listed, can be undone until the month closes, and shows what it is worth.
home-creators-title = For creators
home-creators-text = Add your pages, paste a button or a link, and see what each month paid you, page by page, with statements for your accountant.
home-cta-signup = Create an account
home-cta-login = I already have an account

## Sign-up and log-in
field-email = Email address
field-password = Password
field-password-hint = At least { $min } characters.
field-display-name = Public name
field-display-name-hint = Optional. Shown beside the things you add; by default, the start of your email address.
signup-title = Create your account
signup-intro = One account lets you tip and be tipped.
signup-submit = Create my account
signup-have-account = Already registered?
login-title = Log in
login-submit = Log in
login-failed = The email address or the password is incorrect.
login-no-account = No account yet?
form-error-summary = Please correct the highlighted field.

## Dashboard
dashboard-title = My account
dashboard-welcome = Welcome, { $name }!
dashboard-funds = Funds
dashboard-revenue = Revenue
dashboard-email = Email address
dashboard-security = Security
dashboard-logout-everywhere = Log out on all devices
dashboard-logout-everywhere-hint = Lost a phone, or logged in on a shared computer? This ends every session of your account, including this one, and revokes its API tokens.

## Funds
nav-funds = Funds
nav-budget = Budget
nav-operator = Operator
funds-title = My funds
funds-available = Available funds
funds-reserved = Reserved this month
funds-budget = Monthly budget
funds-no-budget = None yet
funds-change-budget = Choose or change
funds-explain = Funds are spent only through your monthly budget, which your first click of a month reserves. They cannot be withdrawn.
funds-redeem-title = Redeem a voucher
funds-code = Voucher code
funds-redeem-submit = Add to my funds
funds-redeemed = Voucher redeemed: { $amount } added to your funds.
funds-movements = Movements
funds-no-movements = No movement yet. Redeem a voucher to fund your wallet.
funds-truncated = Showing the latest { $count } movements; the CSV file has them all.
funds-csv = Download all movements (CSV)
movement-voucher_redemption = Voucher redeemed
movement-voucher_issue = Vouchers issued
movement-budget_reservation = Month’s budget reserved
movement-settlement = Month settled: budget paid out to the creators
movement-settlement_credit = Month settled: earnings credited, platform fee deducted
movement-reservation_release = Reservation released
movement-other = Other movement
csv-date = Date
csv-movement = Movement
csv-amount = Amount
csv-balance = Balance

## Budget
budget-title = My monthly budget
budget-current = Your budget: { $amount } a month.
budget-none = You have not chosen a budget yet.
budget-explain = Your budget is split equally among everything you click in a month. A month’s budget is fixed by its first click; a change made after it applies from the next month. You are never charged for a month without clicks.
budget-amount = Amount per month
budget-bounds = From { $minimum } to { $maximum }, in whole cents.
budget-pause = Pause my budget (no clicks, no charge, until I resume)
budget-submit = Save my budget
budget-saved = Your budget is saved.
budget-paused-tag = paused

## Operator
operator-vouchers-title = Vouchers
operator-issue-title = Issue vouchers
operator-amount = Value of each voucher
operator-count = Number of vouchers
operator-issue-submit = Issue
operator-codes-title = { $count ->
    [one] One new voucher
   *[other] { $count } new vouchers
}
operator-codes-once = Copy these codes now: they are stored hashed and will not be shown again.
operator-batches = Batches
operator-no-batches = No voucher issued yet.
operator-redeemed = Redeemed
operator-settlements-title = Settlements
operator-settlements-how = Each closed month is settled once by the command obole settle --month YYYY-MM: readers' budgets are split over their clicks and paid to creators, less the platform fee.
operator-no-settlements = No month has been settled yet.
settlement-month = Month
settlement-state = State
settlement-state-running = Running
settlement-state-done = Settled
settlement-state-failed = Failed
settlement-readers = Readers
settlement-clicks = Clicks
settlement-debited = Budgets debited
settlement-fees = Fees
settlement-started = Started
settlement-finished = Finished
nav-settlements = Settlements

## Things and clicks
nav-clicks = My clicks
nav-things = My things
things-title = My things
things-add = Add a thing
things-none = You have not added anything yet. Add a page of yours to get its Obole button.
things-clicks-month = Clicks this month
things-actions = Actions
things-embed = Button and embed code
things-edit = Edit
things-edit-title = Edit this thing
things-save = Save
things-hidden-tag = hidden
thing-field-url = Address of the page
thing-field-url-hint = Its canonical address: tracking parameters and the trailing slash are removed, so one page is one thing.
thing-field-title = Title
thing-field-description = Description
thing-field-category = Category
thing-field-language = Language of the content
thing-field-hidden = Hide this thing (it disappears from listings and cannot be tipped)
thing-by = by { $name }
thing-clicks = { $count ->
    [0] no tips this month
    [one] one tip this month
   *[other] { $count } tips this month
}
thing-tip-title = Tip this
thing-own = This is yours: readers tip it here. Share its button to be tipped.
thing-insufficient = Your funds ({ $funds }) are below your monthly budget ({ $budget }). Your month’s first click sets the budget aside, so add funds first.
thing-clicked = You tipped this this month. One of your clicks is worth { $value } this month.
thing-first-click = This is your first click of the month: it sets your budget of { $value } aside, and this thing gets all of it unless you click more.
thing-worth = With this click, each of your clicks this month will be worth { $value }.
thing-rounded = (rounded; settlement splits your budget to the micro-unit)
thing-confirm = Confirm my tip
thing-undo = Undo
thing-thanks = Thank you! Your tip is recorded; you can undo it until the month ends.
thing-close = Close this window
embed-title = Button and embed code
embed-intro = Paste one of these on the page “{ $title }”.
embed-open-page = Open its Obole page
embed-badge-title = Badge (works everywhere, no JavaScript)
embed-badge-text = A link with a small image showing this month’s tips.
embed-script-title = Button with script
embed-script-text = A styled button that opens the tip confirmation in a small window.
embed-link-title = Plain link
embed-link-text = For places that take neither images nor scripts: newsletters, feeds, text.
embed-code = Code
embed-copy = Copy
embed-copied = Copied.
clicks-title = My clicks
clicks-budget = Budget of the month
clicks-not-reserved = set aside at your first click
clicks-count = Clicks
clicks-value = One click is worth
clicks-exact = exactly { $exact }
clicks-explain = Your budget is split equally among this month’s clicks; you can undo a click until the month ends.
clicks-none = No click in this month.
clicks-other-months = Other months
clicks-this-month = This month
category-writing = Writing
category-journalism = Journalism
category-podcast = Podcast
category-video = Video
category-music = Music
category-software = Software
category-art = Art
category-photography = Photography
category-education = Education
category-science = Science
category-games = Games
category-other = Other
content-language-fr = French
content-language-en = English
content-language-de = German
content-language-es = Spanish
content-language-it = Italian
content-language-pt = Portuguese
content-language-nl = Dutch
content-language-mul = Several languages
content-language-other = Another language

## Error pages
error-title-400 = Bad request
error-title-401 = Please log in
error-title-403 = Not allowed
error-title-404 = Page not found
error-title-405 = Not allowed
error-title-409 = Conflict
error-title-410 = No longer valid
error-title-413 = Too large
error-title-422 = Check your input
error-title-429 = Too many attempts
error-title-500 = Something went wrong
error-title-502 = The payment service did not answer
error-title-503 = Temporarily unavailable
error-back-home = Back to the home page

## Error messages, one per API error code (error-<code>)
error-bad_request = The request could not be understood.
error-invalid_json = The request body is not valid JSON.
error-invalid_form = The form could not be read. Please try again.
error-invalid_email = Please enter a valid email address, such as ana@example.org.
error-invalid_password = The password must have at least 10 characters.
error-invalid_display_name = The public name must have between 1 and 80 characters.
error-invalid_locale = The language must be English (en) or French (fr).
error-email_taken = An account with this email address already exists.
error-invalid_credentials = The email address or the password is incorrect.
error-unauthorized = Please log in to continue.
error-csrf_failed = This form has expired or did not come from Obole. Please reload the page and try again.
error-not_found = We could not find this page.
error-method_not_allowed = This action is not allowed here.
error-payload_too_large = The request is too large.
error-forbidden = This page is for operators only.
error-invalid_amount = Please enter an amount in euros and cents, such as 5 or 5.50.
error-budget_below_minimum = The monthly budget must be at least €2.00.
error-budget_above_maximum = The monthly budget is above this instance’s maximum.
error-voucher_not_found = We do not know this voucher code. Check it and try again.
error-voucher_used = This voucher has already been redeemed.
error-invalid_voucher_batch = A batch holds 1 to 10,000 vouchers of at least €0.01 each, in whole cents.
error-invalid_idempotency_key = The Idempotency-Key header must be 1 to 255 visible ASCII characters.
error-idempotency_key_reused = This Idempotency-Key was already used for a different request.
error-invalid_url = Please give the full address of a web page, starting with https:// or http://.
error-invalid_title = The title must have between 1 and 200 characters.
error-invalid_description = The description must have at most 2,000 characters.
error-invalid_category = Please choose a category from the list.
error-invalid_language = Please choose a language from the list.
error-invalid_query = This search could not be understood.
error-invalid_month = A month is written YYYY-MM, for example 2026-11.
error-thing_exists = This page is already on Obole.
error-url_locked = Readers have tipped this thing: its address can no longer change. Add the new address as a new thing.
error-already_clicked = You already tipped this this month.
error-own_thing = You cannot tip your own things.
error-insufficient_funds = Your funds are below your monthly budget. Add funds before you click.
error-no_budget = Choose a monthly budget (or resume a paused one) before you click.
error-no_click = You have not tipped this this month.
error-month_closed = This month is closed: its settlement has begun, so its tips can no longer change. Tips now count for the new month.
error-invalid_code = This code is not the one we sent.
error-sign_up_over = This sign-up has ended (its code expired, was used, or too many wrong codes were typed). Please start again.
error-title-402 = Funds needed
error-rate_limited = Too many attempts. Please wait a minute and try again.
error-internal_error = An unexpected error occurred. It has been logged; please try again later.
error-unavailable = Obole is temporarily unavailable. Please try again in a moment.

## Months
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec

## Earnings, statements, contributions
nav-earnings = Earnings
nav-contributions = Where my budget went
nav-payouts = Payouts
earnings-title = Earnings
earnings-revenue = Revenue available
earnings-live-clicks = Clicks in { $month }
earnings-to-payouts = Payouts
earnings-live-title = { $month }, live
earnings-live-explain = Clicks count as money only when the month closes: each reader’s budget is then split over all their clicks of the month.
earnings-live-none = No clicks on your things yet this month.
earnings-thing = Thing
earnings-clicks = Clicks
earnings-chart-title = The last 12 months
earnings-chart-caption = What each closed month paid you, after the platform fee.
earnings-chart-table = The same figures as a table
earnings-month = Month
earnings-gross = Gross
earnings-fee = Platform fee
earnings-fee-rate = Platform fee ({ $rate }%)
earnings-net = Net
earnings-amount = Amount
earnings-not-settled = This month is not settled yet: its figures are not final.
earnings-statement = Printable statement
earnings-csv-comma = CSV
earnings-csv-semicolon = CSV for French spreadsheets (;)
statement-title = Statement for { $month }
statement-for = For { $name } ({ $email })
statement-issued = Issued { $at }
statement-rounding = Amounts are exact to the micro-unit (0.000001). The fee is taken once on the month’s gross and rounded down; each thing’s part of it is in proportion to its gross (largest remainder), so that the lines add up to the totals. Payouts are rounded down to the cent and the rest stays on your balance.
statement-back = Back to earnings
csv-month = Month
csv-thing-id = Thing id
csv-thing = Thing
csv-clicks = Clicks
csv-creator = Creator
contributions-title = Where my budget went
contributions-not-settled = This month is not settled yet. Once it closes, you will see here how your budget was split.
contributions-none = You clicked nothing this month, so nothing was taken from your funds.
contributions-debited = Budget spent
contributions-things = Things supported
contributions-creator = Creator
contributions-months = Other months

## Payouts
payouts-title = Payouts
payouts-minimum = Smallest payout
payouts-request-title = Ask for a payout
payouts-verify-first = Please verify your email address first: we sent you a link when you signed up.
payouts-request-explain = A payout is at least { $minimum }, in whole cents; any fraction of a cent stays on your balance. An operator sends it by bank transfer.
payouts-iban = IBAN
payouts-holder = Account holder
payouts-amount = Amount
payouts-amount-hint = Leave empty to be paid all your revenue.
payouts-submit = Ask for this payout
payouts-to-funds-title = Spend revenue as a reader
payouts-to-funds-explain = Move revenue into your own funds, to spend through your budget.
payouts-to-funds-hint = Leave empty to move all of it.
payouts-to-funds-submit = Move to my funds
payouts-history = Your requests
payouts-none = No payout requested yet.
payouts-requested-at = Asked on
payouts-state = State
payouts-requested = Your payout request was recorded. An operator will send it soon.
payouts-moved = The revenue is now in your funds.
payout-state-pending = waiting
payout-state-sent = sent
payout-state-rejected = rejected
operator-payouts-title = Payouts to send
operator-payouts-pending = Waiting
operator-payouts-none = No payout is waiting.
operator-payouts-decide = Decision
operator-payouts-reference = Transfer reference
operator-payouts-mark-sent = Mark sent
operator-payouts-reason = Reason (optional)
operator-payouts-reject = Reject
operator-payouts-own = Your own request: another operator decides it.
operator-payouts-decided = Decided lately
operator-payouts-none-decided = Nothing decided yet.
movement-payout_request = Payout requested
movement-payout_sent = Payout sent
movement-payout_rejected = Payout rejected: amount returned
movement-revenue_to_funds = Revenue moved to funds
error-invalid_iban = This IBAN is not valid. Please check it against your bank details.
error-invalid_holder = Please give the account holder’s name (at most 70 characters).
error-payout_below_minimum = A payout must be at least the minimum amount.
error-payout_above_revenue = This is more than your available revenue.
error-payout_waiting = A payout request is already waiting; please wait until it is decided.
error-payout_decided = This payout request was already decided.
error-own_payout = This is your own payout request: another operator must decide it.
error-invalid_reference = Please give the transfer reference (at most 140 characters).
error-email_not_verified = Please verify your email address first.
error-invalid_token = This link is not valid, was already used, or has expired.

## Email addresses and passwords
verify-title = Email address
verify-done = Thank you: your email address is verified.
verify-sent = We sent a new link to { $email }.
verify-resend = Send me a new link
verify-signed-out = For your safety, the sign-in through a provider that was linked to this account before its address was confirmed has been removed, and every device was logged out: it may not have been yours.
verify-choose-password = Choose a password to log in
login-forgot = Forgot your password?
forgot-title = Forgotten password
forgot-explain = Give the address of your account: we will send you a link to choose a new password.
forgot-submit = Send me a link
forgot-sent = If an account uses this address, a link to choose a new password is on its way. It works for one hour.
reset-title = Choose a new password
reset-new-password = New password
reset-submit = Save the new password
reset-ask-again = Ask for a new link
reset-done = Your password was changed, and every session was logged out. Please log in again.

## Mail
mail-hello = Hello { $name },
mail-hello-anonymous = Hello,
mail-footer = Obole — monthly pooled tipping. You receive this mail because you have an Obole account.
mail-clicks = { $count ->
    [one] 1 click
   *[other] { $count } clicks
}
mail-verify_email-subject = Please confirm your email address
mail-verify_email-body = Please confirm that this address is yours by opening this link (it works for 7 days):
mail-verify_email-ignore = If you did not create an Obole account, ignore this mail.
mail-confirm_sign_up-subject = Your Obole code
mail-confirm_sign_up-body = To finish signing in to Obole with { $provider }, type this code on the page that asked for it (it works for 30 minutes):
mail-confirm_sign_up-link = Or open this link in the same browser:
mail-confirm_sign_up-ignore = If you did not try to sign in to Obole, ignore this mail: without the code, nobody can use your address.
mail-reset_password-subject = Choose a new Obole password
mail-reset_password-body = Someone asked to reset your Obole password. To choose a new one, open this link (it works once, for one hour):
mail-reset_password-ignore = If it was not you, ignore this mail: your password has not changed.
mail-reader_statement-subject = Where your budget went in { $month }
mail-reader_statement-intro = In { $month }, your budget of { $amount } went to:
mail-reader_statement-total = In all: { $amount }.
mail-reader_statement-more = See it on Obole:
mail-creator_statement-subject = What you earned in { $month }
mail-creator_statement-intro = In { $month }, your readers gave you { $amount } (after the platform fee):
mail-creator_statement-more = Your printable statement:
mail-payout_status-subject = Your payout of { $amount }: { $status }
mail-payout_status-sent = Your payout of { $amount } was sent to the account { $iban }.
mail-payout_status-reference = Transfer reference: { $reference }
mail-payout_status-rejected = Your payout request of { $amount } was rejected; the amount is back in your revenue.
mail-payout_status-reason = Reason: { $reason }
mail-things_claimed-subject = { $site } was proven to be someone else's
mail-things_claimed-body = Someone proved that { $site } is theirs. { $count ->
    [one] The thing you had added under it now belongs to them:
   *[other] The { $count } things you had added under it now belong to them:
}
mail-things_claimed-why = On Obole, money goes to whoever proves a page is theirs; what was held for these pages goes to them too. Nothing you were already paid changes. If the site is yours, prove it again from your sites page.
mail-reader_statement-held = held until the creator proves the page is theirs
mail-reader_statement-returned = back in your funds: nobody proved the page in time
mail-reader_statement-donated = given to the charity, as you chose
mail-creator_statement-held = Held for pages nobody has proven yet (yours if you prove they are yours): { $amount }

# Card top-ups (Stripe)
error-top_up_below_minimum = A card payment is at least €5.00.
error-top_up_above_maximum = A card payment is at most €1,000.00.
error-card_payments_unavailable = Card payments are not offered on this instance.
error-payment_provider_failed = The payment service did not answer. Nothing was charged; please try again in a moment.
error-webhook_signature_invalid = The webhook signature is missing, wrong or too old.
error-webhook_invalid = The webhook body is not an event Obole understands.
error-webhook_mismatch = The event's amount or currency differs from the payment Obole created.
movement-card_payment = Card payment
movement-card_refund = Card refund
movement-settlement_hold = Held for creators who have not proven their pages yet
movement-held_release = Held money released to its creator
movement-held_return = Held money returned: nobody proved the page in time
card-title = Add funds by card
card-amount = Amount
card-other = Another amount
card-other-amount = Another amount (from { $minimum } to { $maximum })
card-continue = Continue to payment
card-explain = Your card details go to Stripe, our payment provider, never to Obole. Your funds are credited as soon as Stripe confirms the payment.
card-payments = Card payments
card-state = State
card-state-created = Waiting for payment
card-state-succeeded = Credited
card-state-failed = Failed
card-state-canceled = Canceled
card-refunded = { $amount } refunded
card-confirming = Thank you! Your payment is being confirmed; your funds are credited as soon as Stripe confirms it (usually within seconds). Reload this page to see them.
card-pay-title = Pay { $amount } by card
card-details = Card details
card-pay = Pay { $amount }
card-secure = The card form is Stripe's: Obole never sees your card number.
card-back = Back to my funds
card-failed = The payment did not go through. Nothing was charged; check the card details and try again.
card-unavailable = The payment form could not be loaded. Please reload the page or try again later.

# Sign-in with OAuth2 providers
error-oauth_provider_unknown = This sign-in provider is not configured on this instance.
error-oauth_state_mismatch = This sign-in link is expired or was not started here. Please start again from the log-in page.
error-oauth_denied = The sign-in was canceled at the provider.
error-oauth_failed = The provider did not confirm the sign-in. Please start again from the log-in page.
error-oauth_identity_taken = This provider account is already linked to an Obole account, or yours already has one from this provider.
error-last_log_in_method = This is your last way to log in: set a password or link another provider first.
nav-settings = Settings
login-or = Or continue with
login-with = Continue with { $provider }
login-link-needed = An Obole account already uses { $email }. Log in to it once, and your { $provider } account will be linked to it.
settings-title = Settings
settings-log-in = Ways to log in
settings-password-set = You log in with { $email } and a password.
settings-no-password = Your account ({ $email }) has no password yet; you log in through a provider.
settings-change-password = Send me a link to change my password
settings-set-password = Send me a link to set a password
settings-provider = Provider
settings-state = State
settings-linked-since = Linked since { $date }
settings-not-linked = Not linked
settings-unlink = Unlink
settings-link = Link { $provider }
settings-last-method = You cannot unlink your only way to log in: set a password or link another provider first.
settings-linked = The provider is linked: you can now log in with it.
settings-unlinked = The provider is unlinked.
oauth-email-title = One more step
oauth-email-explain = { $provider } did not give us an email address. Which address should Obole use? We will send a code to confirm it.
oauth-email-submit = Create my account
oauth-confirm-title = Check your mailbox
oauth-confirm-explain = We sent a code to { $email }. Type it here to finish signing in with { $provider }: nothing is opened or linked before, so that nobody can use an address that is not theirs.
oauth-confirm-code = Code from the mail
oauth-confirm-code-hint = Eight letters and digits, such as 7KQ2-M9XD. It works for 30 minutes.
oauth-confirm-submit = Confirm
oauth-confirm-tries-left = { $count ->
    [one] One more try.
   *[other] { $count } more tries.
}
oauth-confirm-elsewhere = This code works only in the browser where you started signing in. Type it there, on the page that asked for it.
oauth-confirm-your-code = Your code:
oauth-confirm-start-again = Start signing in again

## Discovery: browse, search, creator pages, feeds
nav-browse = Discover
browse-title = Discover things to tip
browse-search-title = Search: { $query }
browse-search-label = Search titles, descriptions and creators
browse-search-placeholder = e.g. podcast, élève, Zoé
browse-language = Language
browse-all-languages = All languages
browse-category = Category
browse-all-categories = All categories
browse-sort = Sort by
browse-sort-relevance = Best match
browse-sort-popular = Most tipped this month
browse-sort-new = Newest
browse-sort-all_time = Most tipped ever
browse-search = Search
browse-apply = Show
browse-in-language = Shown: things in { $language }.
browse-show-all-languages = Show all languages
browse-results = { $count ->
    [0] No things
    [one] One thing
   *[other] { $count } things
}
browse-results-for = { $count ->
    [one] One thing matches “{ $query }”
   *[other] { $count } things match “{ $query }”
}
browse-results-for-more = More than { $count } things match “{ $query }”
browse-pages = Pages
browse-previous = Previous
browse-next = Next
browse-page-of = Page { $page } of { $pages }
browse-page = Page { $page }
browse-no-match = Nothing matches “{ $query }” here yet.
browse-nothing-here = There is nothing to show here yet.
browse-tip-words = Try fewer or shorter words: accents and capitals do not matter, and “eleve” also finds “élèves”.
browse-tip-all-languages = Look in all languages
browse-tip-all-categories = Look in all categories
browse-tip-popular = See what is popular instead
browse-feed = Follow new things here (Atom feed)
feed-title = New on Obole
thing-by-prefix = by
thing-added-by-prefix = added by
thing-added-by = added by { $name }
creator-month-clicks = { $count ->
    [0] no tips in { $month }
    [one] one tip in { $month }
   *[other] { $count } tips in { $month }
}
creator-things = { $count ->
    [0] No things
    [one] One thing
   *[other] { $count } things
}
creator-no-things = Nothing to tip here yet.
creator-clicked = Tipped in { $month }
creator-clicked-none = No tips yet this month.
profile-title = Your public page
profile-intro = A page at your own address that shows your things, your links and, if you wish, what you tip.
profile-handle = Handle (your page’s address: /c/handle)
profile-handle-hint = 2 to 30 characters: letters a–z, digits, “-” and “_”.
profile-public-name = Public name
profile-description = About you
profile-links = Links
profile-links-hint = Up to five web addresses, one per line.
profile-clicks-public = Show the things I tip on my public page
profile-save = Save my public page
profile-saved = Your public page is saved.
profile-see = See your public page
settings-edit-public-page = Edit your public page
error-invalid_handle = A handle has 2 to 30 characters: letters a–z, digits, “-” and “_”, starting with a letter or a digit.
error-handle_taken = This handle is taken: choose another one.
error-invalid_public_name = The public name must have 1 to 80 characters.
error-invalid_profile_description = The description is too long (2,000 characters at most).
error-invalid_links = Links are up to five web addresses (http or https), one per line.

# Claims: sites and their proofs
error-verification_failed = The proof was not found.
error-site_not_public = This site is not on a public address: Obole only checks sites on the public internet.
error-no_such_user = No account has this address.
site-method-meta = a meta tag on the page
site-method-well_known = a file on the site
site-method-rel_me = a link to your public page
site-method-operator = an operator's word
site-what-meta = the tag <meta name="obole-verification"> with your token
site-what-well_known = your token
site-what-rel_me = a link with rel="me" to your public page
site-problem-missing = { $url } was fetched, but { $what } is not on it.
site-problem-cut_off = { $url } was fetched, but only its first { $detail } KiB were read and { $what } is not among them: put it in the page's <head>.
site-problem-mismatch = { $url } was fetched, but it does not hold your token alone.
site-problem-no_public_page = A link with rel="me" can prove the site once you have a public page on Obole.
site-problem-status = Looking for { $what }: { $url } answered with the HTTP status { $detail }.
site-problem-unreachable = Looking for { $what }: { $url } could not be reached.
site-problem-timeout = Looking for { $what }: { $url } did not answer in time.
site-problem-redirect_off_origin = Looking for { $what }: { $url } redirects to { $detail }, off the site; the proof must be on the site itself.
site-problem-too_many_redirects = Looking for { $what }: { $url } redirects too many times.
site-problem-not_http = { $url } is not an http or https address.
site-problem-not_public = { $url } is not on a public address ({ $detail }): Obole only fetches sites on the public internet.
sites-title = Your sites
sites-intro = On Obole, money goes to whoever proves a page is theirs. Add your site, or your profile page on a shared host, put the proof on it, and the things under it — with what readers gave them before you came — are yours.
sites-add = Add a site
sites-url = Address of the site or profile page
sites-url-hint = A whole site such as https://example.org/, or a profile page such as https://social.example/@you or https://github.com/you.
sites-add-button = Add the site
sites-verified = verified ✓
sites-not-verified = not proven yet
sites-verified-by = Proven by { $method }, on { $date }.
sites-superseded = Someone else proved this site since you did: its things are theirs until you prove it again.
sites-check-failed-on = The last check, on { $date }, did not find the proof:
sites-how = Prove the site in one of these ways, then check now:
sites-meta-text = Put this tag in the <head> of { $url }:
sites-well-known-text = Or put your token alone in the file { $url }:
sites-token = Your token
sites-rel-me-text = Or link { $url } to your public page on Obole with rel="me" (as Mastodon and GitHub profiles allow):
sites-rel-me-no-page = Or link the page to your public page on Obole with rel="me", once you have one:
sites-check = Check now
sites-remove = Remove
sites-proven = The site is proven: its things are yours.
sites-proven-moved = The site is proven: its things are yours, including some that other people had added, with what was held for them.
sites-check-failed = The proof was not found: see what was fetched below.
sites-removed = The site was removed. Its things stay yours (unless someone else proved a site that covers them), but money for them is held until you prove a site again.
settings-sites-text = Prove which sites are yours, so that what readers give for your pages reaches you.
settings-sites-link = Manage your sites
embed-unclaimed = This thing is not claimed yet: what readers give for it is held until you prove the site is yours.
embed-link-tag-title = A payment link for the page's head
embed-link-tag-text = Put this tag in the <head> of your page: browsers and feed readers that look for a way to support a page find your Obole page.
embed-podcast-title = A funding tag for your podcast
embed-podcast-text = Put this tag in your podcast's RSS feed, inside <channel> (or an <item>): podcast apps that support Podcasting 2.0 show a link to tip you.
thing-not-claimed = not yet claimed
thing-held-explained = Its creator has not proven on Obole that this page is theirs (they may not be here yet). What you give is held for them: it reaches them once they prove it, and if they never do within { $months } months, it comes back to your funds in full.
things-unclaimed-hint = Money for things marked "not yet claimed" is held until you prove the site they are on is yours.
earnings-held = Held for you
earnings-released = Paid later, when you proved your pages
earnings-held-explained = What readers gave for your things that nobody has claimed yet: it becomes yours, less the fee, if you prove the site they are on is yours; whoever proves it gets it.
hold-held = held
hold-released = paid to whoever proved the page
hold-returned = returned to readers
share-held = held for the creator
share-returned = back in your funds
share-donated = given to the charity
nav-sites = Sites
operator-sites-title = Vouch for a site
operator-sites-intro = When you know a creator, vouch that a site is theirs: the things under it become theirs, with what was held for them, as if they had proven it. Anyone who had added things there is told by mail.
operator-sites-grant = Vouch
operator-sites-email = The creator's account (email address)
operator-sites-submit = Vouch for the site
operator-sites-done = { $url } is now proven; { $count ->
    [0] no thing changed hands.
    [one] one thing changed hands.
   *[other] { $count } things changed hands.
}

## Issue 20: small things found on the walk
error-not_your_thing = This thing belongs to another account: only its creator can change it or get its button.
earnings-total = Total
earnings-share = Share
earnings-share-status = Where it stands
earnings-unclaimed-title = Unclaimed things (outside the totals above)
earnings-unclaimed-explained = Readers tipped these things while no site of yours proved them: their shares were held, outside your gross. A held share becomes yours, less the fee, when you prove the site.
earnings-no-closed-month = No month of your account has closed yet: { $month } will be the first, once it ends.
earnings-before-account = Your account did not exist yet in this month: your statements start in { $month }.
statement-operated-by = Operated by { $name }
statement-print = Print or save as PDF
csv-fee = Fee
csv-net = Net
mail-line = { $label }: { $value }
mail-creator_statement-thing = gross { $gross }, fee { $fee }, net { $net }
browse-in-all-languages = in all languages, { $first ->
    [fr] French
   *[other] English
} first
browse-narrow = narrow by language or category
browse-no-match-anywhere = Nothing matches “{ $query }” yet, in any language.
